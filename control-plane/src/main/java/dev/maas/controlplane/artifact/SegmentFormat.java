package dev.maas.controlplane.artifact;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The format of an encrypted artifact file: a header ({@code MAASAE01} and the segment size as a
 * big-endian int), then the plaintext in segments of that size, each sealed on its own with
 * AES-256-GCM as {@code nonce (12 random bytes) | ciphertext | tag (16 bytes)}. The last segment
 * holds fewer plaintext bytes than the segment size (possibly none), so every file ends with a
 * short segment.
 *
 * <p>Each segment's additional authenticated data binds it to its place: the header, a context
 * naming the artifact (tenant and SHA-256), the segment's index and whether it is the last. So
 * segments cannot be reordered, dropped, truncated or moved to another artifact or tenant without
 * decryption failing. Random 96-bit nonces allow 2^32 segments per key (4 PiB at 1 MiB segments).
 */
final class SegmentFormat {

  static final String TRANSFORMATION = "AES/GCM/NoPadding";
  static final int NONCE_BYTES = 12;
  static final int TAG_BYTES = 16;
  static final int TAG_BITS = TAG_BYTES * 8;
  static final int DEFAULT_SEGMENT_BYTES = 1 << 20;
  static final int MAX_SEGMENT_BYTES = 16 << 20;

  private static final byte[] MAGIC = "MAASAE01".getBytes(StandardCharsets.US_ASCII);
  static final int HEADER_BYTES = MAGIC.length + Integer.BYTES;

  private SegmentFormat() {}

  static byte[] header(int segmentBytes) {
    return ByteBuffer.allocate(HEADER_BYTES).put(MAGIC).putInt(segmentBytes).array();
  }

  /**
   * The segment size a header announces.
   *
   * @throws IllegalArgumentException if it is not a header of this format
   */
  static int segmentBytes(byte[] header) {
    ByteBuffer buffer = ByteBuffer.wrap(header);
    byte[] magic = new byte[MAGIC.length];
    buffer.get(magic);
    int segmentBytes = buffer.getInt();
    if (!java.util.Arrays.equals(magic, MAGIC)
        || segmentBytes <= 0
        || segmentBytes > MAX_SEGMENT_BYTES) {
      throw new IllegalArgumentException("not an encrypted maas artifact");
    }
    return segmentBytes;
  }

  /** The additional data of each segment of one file; reuses one buffer, so not thread-safe. */
  static final class AssociatedData {
    private final byte[] bytes;
    private final int prefix;

    AssociatedData(byte[] header, byte[] context) {
      prefix = header.length + context.length;
      bytes = new byte[prefix + Long.BYTES + 1];
      System.arraycopy(header, 0, bytes, 0, header.length);
      System.arraycopy(context, 0, bytes, header.length, context.length);
    }

    /** The additional data of segment {@code index}; valid until the next call. */
    byte[] of(long index, boolean last) {
      ByteBuffer.wrap(bytes, prefix, Long.BYTES + 1).putLong(index).put((byte) (last ? 1 : 0));
      return bytes;
    }
  }
}
