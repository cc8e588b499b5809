package dev.maas.standalone.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The file the demo API key is kept in ({@code <data-dir>/demo-api-key}, mode 600): the key's
 * secret cannot be shown again by the control plane, so this file is the only copy.
 */
public final class DemoKeyFile {

  /** The file's name in the data directory. */
  public static final String NAME = "demo-api-key";

  private final Path file;

  /** The key file in {@code dataDir}. */
  public DemoKeyFile(Path dataDir) {
    this.file = dataDir.resolve(NAME);
  }

  /** The file's path. */
  public Path path() {
    return file;
  }

  /** The key the file holds, if there is one. */
  public Optional<String> read() {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? Optional.empty() : Optional.of(text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Replaces the file's content with {@code key}: written beside it with mode 600, then renamed
   * into place, so the file is never readable by others nor seen half-written.
   */
  public void write(String key) {
    Path staging = file.resolveSibling("." + NAME + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(staging);
      Files.createFile(
          staging,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(staging, key + "\n", StandardCharsets.UTF_8);
      Files.move(
          staging, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
