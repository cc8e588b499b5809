package dev.maas.controlplane.artifact;

import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Writes plaintext as an encrypted artifact in the {@link SegmentFormat}. Not thread-safe. {@link
 * #finish()} (or {@link #close()}) seals the last segment; a stream abandoned without it leaves a
 * file that fails decryption as truncated.
 */
final class EncryptingOutputStream extends OutputStream {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final OutputStream out;
  private final SecretKey key;
  private final Cipher cipher;
  private final SegmentFormat.AssociatedData associatedData;
  private final byte[] plaintext;
  private final byte[] sealed;
  private final byte[] nonce = new byte[SegmentFormat.NONCE_BYTES];
  private int filled;
  private long index;
  private boolean finished;

  EncryptingOutputStream(OutputStream out, SecretKey key, byte[] context, int segmentBytes)
      throws IOException {
    this.out = out;
    this.key = key;
    this.cipher = SegmentCiphers.newCipher();
    byte[] header = SegmentFormat.header(segmentBytes);
    this.associatedData = new SegmentFormat.AssociatedData(header, context);
    this.plaintext = new byte[segmentBytes];
    this.sealed = new byte[segmentBytes + SegmentFormat.TAG_BYTES];
    out.write(header);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    if (finished) {
      throw new IOException("the encrypted artifact is already finished");
    }
    while (length > 0) {
      int n = Math.min(length, plaintext.length - filled);
      System.arraycopy(bytes, offset, plaintext, filled, n);
      filled += n;
      offset += n;
      length -= n;
      // A full segment is sealed at once, so the last segment is always a short one.
      if (filled == plaintext.length) {
        seal(false);
      }
    }
  }

  /** Seals the last segment and flushes, leaving the underlying stream open. */
  void finish() throws IOException {
    if (!finished) {
      finished = true;
      seal(true);
      out.flush();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      finish();
    } finally {
      out.close();
    }
  }

  private void seal(boolean last) throws IOException {
    RANDOM.nextBytes(nonce);
    int length;
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(SegmentFormat.TAG_BITS, nonce));
      cipher.updateAAD(associatedData.of(index, last));
      length = cipher.doFinal(plaintext, 0, filled, sealed, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
    out.write(nonce);
    out.write(sealed, 0, length);
    index++;
    filled = 0;
  }
}
