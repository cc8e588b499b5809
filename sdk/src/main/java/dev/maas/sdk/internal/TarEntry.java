package dev.maas.sdk.internal;

import java.nio.file.Path;

/**
 * One entry of a tar archive being written.
 *
 * @param name its path in the archive, '/'-separated, with a trailing '/' for a directory
 * @param file the file its bytes come from; null for a directory
 * @param size its size in bytes (0 for a directory)
 */
record TarEntry(String name, Path file, long size) {

  boolean isDirectory() {
    return file == null;
  }

  /** Bytes it takes in the archive: header, then contents padded to whole blocks. */
  long archivedSize() {
    return TarHeaders.BLOCK + TarHeaders.padded(size);
  }
}
