package dev.maas.worker.repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A model repository directory, laid out as TF Serving and Triton do: {@code <dir>/<model>/<version
 * number>/} holds a SavedModel, and an optional {@code <dir>/<model>/config.json} says how to serve
 * it. Each scan reads the directory afresh.
 */
public final class ModelRepository {

  /** Model names the repository accepts; other directories are ignored. */
  public static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,17}");

  private final Path root;

  public ModelRepository(Path root) {
    this.root = root;
  }

  /** The repository's directory. */
  public Path root() {
    return root;
  }

  /**
   * Lists the models and their versions now present.
   *
   * @throws UncheckedIOException when the repository directory cannot be read
   */
  public List<ModelEntry> scan() {
    List<ModelEntry> models = new ArrayList<>();
    try (Stream<Path> children = Files.list(root)) {
      for (Path dir : children.sorted().toList()) {
        String name = dir.getFileName().toString();
        if (Files.isDirectory(dir) && MODEL_NAME.matcher(name).matches()) {
          models.add(scanModel(name, dir));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model repository " + root, e);
    }
    return models;
  }

  private static ModelEntry scanModel(String name, Path dir) throws IOException {
    Path configFile = dir.resolve("config.json");
    String configText = Files.isRegularFile(configFile) ? Files.readString(configFile) : "";
    ModelConfig config = null;
    String configError = null;
    try {
      config = configText.isBlank() ? ModelConfig.defaults() : ModelConfigParser.parse(configText);
    } catch (InvalidModelConfigException e) {
      configError = e.getMessage();
    }
    TreeMap<Long, VersionDirectory> versions = new TreeMap<>();
    try (Stream<Path> children = Files.list(dir)) {
      for (Path versionDir : children.toList()) {
        String label = versionDir.getFileName().toString();
        if (Files.isDirectory(versionDir) && VERSION.matcher(label).matches()) {
          long version = Long.parseLong(label);
          versions.put(
              version,
              new VersionDirectory(version, versionDir, fingerprint(versionDir, configText)));
        }
      }
    }
    return new ModelEntry(name, dir, config, configError, versions);
  }

  /**
   * A digest of the files' names, sizes and times, and the config text: changes when either does.
   */
  private static String fingerprint(Path versionDir, String configText) throws IOException {
    MessageDigest digest = sha256();
    digest.update(configText.getBytes(StandardCharsets.UTF_8));
    try (Stream<Path> files = Files.walk(versionDir)) {
      for (Path file : files.sorted().toList()) {
        try {
          BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
          String line =
              versionDir.relativize(file)
                  + "|"
                  + attributes.size()
                  + "|"
                  + attributes.lastModifiedTime().toMillis()
                  + "\n";
          digest.update(line.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchFileException vanished) {
          digest.update((file + "|gone\n").getBytes(StandardCharsets.UTF_8));
        }
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
