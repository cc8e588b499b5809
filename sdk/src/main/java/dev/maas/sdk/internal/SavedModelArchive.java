package dev.maas.sdk.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A directory packed as a plain tar archive, its files at the archive's root (so a SavedModel's
 * {@code saved_model.pb} is at the root), streamed as it is read: the archive is never held in
 * memory or written to disk. Its size is known before the first byte.
 */
public final class SavedModelArchive {

  private final Path directory;
  private final List<TarEntry> entries;
  private final long size;

  private SavedModelArchive(Path directory, List<TarEntry> entries) {
    this.directory = directory;
    this.entries = entries;
    long total = 2L * TarHeaders.BLOCK;
    for (TarEntry entry : entries) {
      total += entry.archivedSize();
    }
    this.size = total;
  }

  /**
   * The archive of {@code directory}: its regular files and subdirectories, in name order.
   *
   * @throws IllegalArgumentException when it is not a directory, or holds a link or a special file
   * @throws UncheckedIOException when it cannot be read
   */
  public static SavedModelArchive of(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException(directory + " is not a directory");
    }
    List<TarEntry> entries = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.comparing(Path::toString)).toList()) {
        if (path.equals(directory)) {
          continue;
        }
        entries.add(entryOf(directory, path));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + directory, e);
    }
    return new SavedModelArchive(directory, entries);
  }

  private static TarEntry entryOf(Path root, Path path) throws IOException {
    String name =
        root.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
    if (Files.isSymbolicLink(path)) {
      throw new IllegalArgumentException(
          path + " is a symbolic link; a model archive may hold only files and directories");
    }
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      return new TarEntry(name + "/", null, 0);
    }
    if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException(
          path + " is not a regular file; a model archive may hold only files and directories");
    }
    long size = Files.size(path);
    if (size > TarHeaders.MAX_SIZE) {
      throw new IllegalArgumentException(path + " is too large for a tar archive");
    }
    return new TarEntry(name, path, size);
  }

  /** The directory packed. */
  public Path directory() {
    return directory;
  }

  /** The archive's size in bytes. */
  public long size() {
    return size;
  }

  /** How many files and directories it holds. */
  public int entryCount() {
    return entries.size();
  }

  /** Whether the directory has a {@code saved_model.pb} at its top. */
  public boolean hasSavedModel() {
    return entries.stream().anyMatch(e -> !e.isDirectory() && e.name().equals("saved_model.pb"));
  }

  /** A stream of the archive's bytes, reading the files as it goes. */
  public InputStream open() {
    return new TarInputStream(entries);
  }
}
