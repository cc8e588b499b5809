package dev.maas.sdk.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.List;

/**
 * The bytes of a tar archive of {@code entries}, produced as they are read: each entry's header,
 * its file's bytes, zero padding to a whole block; then the two zero blocks that end an archive.
 * Fails with an IOException when a file changed size since it was listed.
 */
final class TarInputStream extends InputStream {

  private final Iterator<TarEntry> entries;
  private InputStream current = InputStream.nullInputStream();
  private TarEntry pendingFile;
  private TarEntry currentEntry;
  private long currentRead;
  private boolean trailerQueued;

  TarInputStream(List<TarEntry> entries) {
    this.entries = entries.iterator();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : Byte.toUnsignedInt(one[0]);
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    while (true) {
      int n = current.read(buffer, offset, length);
      if (n > 0) {
        if (currentEntry != null) {
          currentRead += n;
          if (currentRead > currentEntry.size()) {
            throw changed();
          }
        }
        return n;
      }
      if (!advance()) {
        return -1;
      }
    }
  }

  /** Moves to the next part of the archive; false at its end. */
  private boolean advance() throws IOException {
    current.close();
    if (currentEntry != null) {
      if (currentRead != currentEntry.size()) {
        throw changed();
      }
      long size = currentEntry.size();
      currentEntry = null;
      current = new ByteArrayInputStream(new byte[(int) (TarHeaders.padded(size) - size)]);
      return true;
    }
    if (pendingFile != null) {
      currentEntry = pendingFile;
      pendingFile = null;
      currentRead = 0;
      current = Files.newInputStream(currentEntry.file());
      return true;
    }
    if (entries.hasNext()) {
      TarEntry next = entries.next();
      current = new ByteArrayInputStream(TarHeaders.header(next));
      pendingFile = next.isDirectory() ? null : next;
      return true;
    }
    if (!trailerQueued) {
      trailerQueued = true;
      current = new ByteArrayInputStream(new byte[2 * TarHeaders.BLOCK]);
      return true;
    }
    return false;
  }

  private IOException changed() {
    return new IOException(currentEntry.file() + " changed while it was being uploaded");
  }

  @Override
  public void close() throws IOException {
    current.close();
  }
}
