package dev.maas.worker.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a model artifact, a tar of a SavedModel directory, refusing anything that could write
 * outside the target: absolute paths, {@code ..}, links, devices. Only plain files and directories
 * are created.
 */
final class ArtifactUnpacker {

  /** Most entries an artifact may hold; a SavedModel has a handful. */
  static final int MAX_ENTRIES = 100_000;

  /** The longest file or directory name file systems hold, in bytes. */
  static final int MAX_NAME_BYTES = 255;

  private ArtifactUnpacker() {}

  /**
   * Unpacks {@code archive} into {@code target}, which must be an empty or missing directory.
   *
   * @throws ArtifactRejectedException when the archive is unsafe, malformed or not a SavedModel
   * @throws IOException when the files cannot be written
   */
  static void unpack(Path archive, Path target) throws IOException, ArtifactRejectedException {
    Path root = target.toAbsolutePath().normalize();
    Files.createDirectories(root);
    int entries = 0;
    try (InputStream in = Files.newInputStream(archive);
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry entry = nextEntry(tar); entry != null; entry = nextEntry(tar)) {
        if (++entries > MAX_ENTRIES) {
          throw new ArtifactRejectedException("archive has more than " + MAX_ENTRIES + " entries");
        }
        Path destination = destinationOf(root, entry);
        if (destination == null) {
          continue;
        }
        try {
          if (entry.isDirectory()) {
            Files.createDirectories(destination);
          } else {
            Files.createDirectories(destination.getParent());
            copy(tar, entry, destination);
          }
        } catch (FileAlreadyExistsException e) {
          throw new ArtifactRejectedException(
              "archive entry '" + entry.getName() + "' clashes with an earlier one", e);
        }
      }
    }
    if (!Files.isRegularFile(root.resolve("saved_model.pb"))
        && !Files.isRegularFile(root.resolve("saved_model.pbtxt"))) {
      throw new ArtifactRejectedException(
          "archive is not a SavedModel: no saved_model.pb at its root");
    }
  }

  /** Where an entry goes, or null for the archive's root itself. */
  private static Path destinationOf(Path root, TarArchiveEntry entry)
      throws ArtifactRejectedException {
    String name = entry.getName();
    if (!entry.isDirectory() && !entry.isFile()
        || entry.isSymbolicLink()
        || entry.isLink()
        || entry.isSparse()) {
      throw new ArtifactRejectedException(
          "archive entry '" + name + "' is not a plain file or directory");
    }
    if (name.startsWith("/") || name.contains("\\") || name.indexOf('\0') >= 0) {
      throw new ArtifactRejectedException("archive entry '" + name + "' has an absolute path");
    }
    String relative = name;
    while (relative.startsWith("./")) {
      relative = relative.substring(2);
    }
    if (relative.isEmpty() || relative.equals(".")) {
      return null;
    }
    for (String segment : relative.split("/")) {
      if (segment.equals("..")) {
        throw new ArtifactRejectedException("archive entry '" + name + "' leaves its directory");
      }
      if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
        throw new ArtifactRejectedException(
            "archive entry '" + name + "' has a name longer than " + MAX_NAME_BYTES + " bytes");
      }
    }
    Path destination = root.resolve(relative).normalize();
    if (!destination.startsWith(root) || destination.equals(root)) {
      throw new ArtifactRejectedException("archive entry '" + name + "' leaves its directory");
    }
    return destination;
  }

  private static void copy(TarArchiveInputStream tar, TarArchiveEntry entry, Path destination)
      throws IOException, ArtifactRejectedException {
    // CREATE_NEW: an archive that names one file twice is refused rather than half-overwritten.
    try (OutputStream out = Files.newOutputStream(destination, StandardOpenOption.CREATE_NEW)) {
      byte[] buffer = new byte[64 * 1024];
      long copied = 0;
      for (int n = read(tar, entry, buffer); n >= 0; n = read(tar, entry, buffer)) {
        out.write(buffer, 0, n);
        copied += n;
      }
      if (copied != entry.getSize()) {
        throw new ArtifactRejectedException("archive entry '" + entry.getName() + "' is truncated");
      }
    }
  }

  private static int read(TarArchiveInputStream tar, TarArchiveEntry entry, byte[] buffer)
      throws ArtifactRejectedException {
    try {
      return tar.read(buffer);
    } catch (IOException e) {
      throw new ArtifactRejectedException(
          "archive entry '" + entry.getName() + "' cannot be read: " + e.getMessage(), e);
    }
  }

  private static TarArchiveEntry nextEntry(TarArchiveInputStream tar)
      throws ArtifactRejectedException {
    try {
      return tar.getNextEntry();
    } catch (IOException e) {
      throw new ArtifactRejectedException("archive is not a valid tar: " + e.getMessage(), e);
    }
  }
}
