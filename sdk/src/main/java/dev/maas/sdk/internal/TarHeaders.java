package dev.maas.sdk.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes POSIX ustar headers. Entries get fixed owner, mode and time (0), so the same directory
 * always packs into the same bytes and the same SHA-256 (uploads are content-addressed).
 */
final class TarHeaders {

  static final int BLOCK = 512;
  static final long MAX_SIZE = 077777777777L;

  private static final int NAME = 100;
  private static final int PREFIX = 155;

  private TarHeaders() {}

  static long padded(long size) {
    return (size + BLOCK - 1) / BLOCK * BLOCK;
  }

  /** The 512-byte header of {@code entry}. */
  static byte[] header(TarEntry entry) {
    byte[] header = new byte[BLOCK];
    byte[] name = entry.name().getBytes(StandardCharsets.UTF_8);
    int split = splitPoint(name, entry.name());
    System.arraycopy(
        name, split == 0 ? 0 : split + 1, header, 0, name.length - (split == 0 ? 0 : split + 1));
    if (split > 0) {
      System.arraycopy(name, 0, header, 345, split);
    }
    octal(header, 100, 8, entry.isDirectory() ? 0755 : 0644);
    octal(header, 108, 8, 0);
    octal(header, 116, 8, 0);
    octal(header, 124, 12, entry.size());
    octal(header, 136, 12, 0);
    header[156] = (byte) (entry.isDirectory() ? '5' : '0');
    ascii(header, 257, "ustar\0");
    ascii(header, 263, "00");
    Arrays.fill(header, 148, 156, (byte) ' ');
    long checksum = 0;
    for (byte b : header) {
      checksum += Byte.toUnsignedInt(b);
    }
    octal(header, 148, 7, checksum);
    header[155] = ' ';
    return header;
  }

  /**
   * Where the path is cut into prefix and name: 0 when it fits the name field whole, else the index
   * of the '/' that separates them.
   */
  private static int splitPoint(byte[] name, String path) {
    if (name.length <= NAME) {
      return 0;
    }
    for (int i = Math.min(name.length - 1, PREFIX); i > 0; i--) {
      if (name[i] == '/' && name.length - i - 1 <= NAME && name.length - i - 1 > 0) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        "the path '" + path + "' is too long for a tar archive (ustar: 155 + 100 bytes)");
  }

  /** Writes {@code value} as zero-padded octal digits and a NUL into {@code length} bytes. */
  private static void octal(byte[] header, int offset, int length, long value) {
    String digits = Long.toOctalString(value);
    if (digits.length() > length - 1) {
      throw new IllegalArgumentException(value + " does not fit a tar header field");
    }
    String padded = "0".repeat(length - 1 - digits.length()) + digits;
    ascii(header, offset, padded);
    header[offset + length - 1] = 0;
  }

  private static void ascii(byte[] header, int offset, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }
}
