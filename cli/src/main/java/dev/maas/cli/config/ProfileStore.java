package dev.maas.cli.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The profile file {@code maas login} writes: named profiles of endpoints and credentials, as
 * {@code <profile>.<key>=value} properties. It holds secrets, so it is written with mode 600 (in a
 * directory of mode 700), by a rename so readers never see half of it.
 */
public final class ProfileStore {

  /** The keys a profile may hold. */
  public static final java.util.List<String> KEYS =
      java.util.List.of("endpoint", "gateway", "token", "api-key", "tenant", "tls", "ca-file");

  private final Path file;

  /** The store in {@code file}, which need not exist yet. */
  public ProfileStore(Path file) {
    this.file = file;
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /** Whether the file has this profile. */
  public boolean has(String profile) {
    return !read(profile).isEmpty();
  }

  /** The profile's values by key; empty when the file or profile does not exist. */
  public Map<String, String> read(String profile) {
    Properties properties = load();
    Map<String, String> values = new TreeMap<>();
    String prefix = profile + ".";
    for (String name : properties.stringPropertyNames()) {
      if (name.startsWith(prefix)) {
        values.put(name.substring(prefix.length()), properties.getProperty(name));
      }
    }
    return values;
  }

  /** Replaces the profile's values with {@code values}, keeping the other profiles. */
  public void write(String profile, Map<String, String> values) {
    Properties properties = load();
    properties.stringPropertyNames().stream()
        .filter(n -> n.startsWith(profile + "."))
        .forEach(properties::remove);
    values.forEach(
        (key, value) -> {
          if (value != null) {
            properties.setProperty(profile + "." + key, value);
          }
        });
    StringWriter text = new StringWriter();
    try {
      properties.store(text, "maas CLI profiles, written by 'maas login'; holds credentials");
      save(text.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private Properties load() {
    Properties properties = new Properties();
    if (Files.isRegularFile(file)) {
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return properties;
  }

  private void save(String text) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    if (!Files.isDirectory(directory)) {
      if (posix) {
        Files.createDirectories(
            directory,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(directory);
      }
    }
    Path temporary =
        posix
            ? Files.createTempFile(
                directory,
                ".maas-profiles",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
            : Files.createTempFile(directory, ".maas-profiles", ".tmp");
    try {
      Files.writeString(temporary, text, StandardCharsets.UTF_8);
      try {
        Files.move(
            temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
