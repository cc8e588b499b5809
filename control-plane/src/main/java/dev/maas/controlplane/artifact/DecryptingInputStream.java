package dev.maas.controlplane.artifact;

import java.io.IOException;
import java.io.InputStream;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Reads the plaintext of an encrypted artifact in the {@link SegmentFormat}. Each segment is
 * authenticated before any of its bytes are returned; a changed, reordered, truncated or extended
 * file, or one of another artifact or tenant, makes a read throw an {@link IOException}. Not
 * thread-safe.
 */
final class DecryptingInputStream extends InputStream {

  private final InputStream in;
  private final SecretKey key;
  private final Cipher cipher;
  private final SegmentFormat.AssociatedData associatedData;
  private final byte[] sealed;
  private final byte[] plaintext;
  private int position;
  private int limit;
  private long index;
  private boolean lastRead;

  /** Reads the header from {@code in}; closes {@code in} if that fails. */
  DecryptingInputStream(InputStream in, SecretKey key, byte[] context) throws IOException {
    this.in = in;
    this.key = key;
    this.cipher = SegmentCiphers.newCipher();
    try {
      byte[] header = in.readNBytes(SegmentFormat.HEADER_BYTES);
      if (header.length < SegmentFormat.HEADER_BYTES) {
        throw new IOException("not an encrypted maas artifact: the header is truncated");
      }
      int segmentBytes;
      try {
        segmentBytes = SegmentFormat.segmentBytes(header);
      } catch (IllegalArgumentException e) {
        throw new IOException(e.getMessage(), e);
      }
      this.associatedData = new SegmentFormat.AssociatedData(header, context);
      this.plaintext = new byte[segmentBytes];
      this.sealed = new byte[SegmentFormat.NONCE_BYTES + segmentBytes + SegmentFormat.TAG_BYTES];
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] bytes, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    while (position == limit) {
      if (lastRead) {
        return -1;
      }
      openNextSegment();
    }
    int n = Math.min(length, limit - position);
    System.arraycopy(plaintext, position, bytes, offset, n);
    position += n;
    return n;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private void openNextSegment() throws IOException {
    int n = in.readNBytes(sealed, 0, sealed.length);
    // Only the last segment is short (see SegmentFormat).
    boolean last = n < sealed.length;
    if (n < SegmentFormat.NONCE_BYTES + SegmentFormat.TAG_BYTES) {
      throw new IOException("encrypted artifact is truncated");
    }
    try {
      cipher.init(
          Cipher.DECRYPT_MODE,
          key,
          new GCMParameterSpec(SegmentFormat.TAG_BITS, sealed, 0, SegmentFormat.NONCE_BYTES));
      cipher.updateAAD(associatedData.of(index, last));
      limit =
          cipher.doFinal(
              sealed, SegmentFormat.NONCE_BYTES, n - SegmentFormat.NONCE_BYTES, plaintext, 0);
    } catch (AEADBadTagException e) {
      throw new IOException(
          "encrypted artifact failed authentication: it was changed or truncated, or belongs to"
              + " another artifact or tenant",
          e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
    position = 0;
    index++;
    lastRead = last;
  }
}
