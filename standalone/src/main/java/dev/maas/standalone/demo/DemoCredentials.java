package dev.maas.standalone.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's credentials file ({@code <data-dir>/demo-credentials}, mode 600): the demo tenant's
 * {@code infer} key and {@code manage} key with the addresses to use them at, as {@code export
 * MAAS_*=value} lines a shell loads with {@code . ./data/demo-credentials} and the {@code maas} CLI
 * then reads from its environment. The control plane cannot show a key's secret again, so this file
 * is the only copy.
 *
 * @param tenant the demo tenant
 * @param inferKey the key with the {@code infer} scope, for the gateway ({@code MAAS_API_KEY})
 * @param manageKey the key with the {@code manage} scope, for the admin API ({@code MAAS_TOKEN})
 * @param gateway the gateway's address ({@code MAAS_GATEWAY})
 * @param endpoint the admin API's address ({@code MAAS_ENDPOINT})
 */
public record DemoCredentials(
    String tenant, String inferKey, String manageKey, String gateway, String endpoint) {

  /** The file's name in the data directory. */
  public static final String FILE_NAME = "demo-credentials";

  /** The file in {@code dataDir}. */
  public static Path file(Path dataDir) {
    return dataDir.resolve(FILE_NAME);
  }

  /**
   * The credentials saved in {@code dataDir}, if its file holds both keys.
   *
   * @throws UncheckedIOException when the file exists but cannot be read
   */
  public static Optional<DemoCredentials> read(Path dataDir) {
    Path file = file(dataDir);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Map<String, String> values = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String text = line.strip();
        if (text.startsWith("export ")) {
          text = text.substring("export ".length()).strip();
        }
        int equals = text.indexOf('=');
        if (!text.startsWith("#") && equals > 0) {
          values.put(text.substring(0, equals), text.substring(equals + 1).strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    String infer = values.getOrDefault("MAAS_API_KEY", "");
    String manage = values.getOrDefault("MAAS_TOKEN", "");
    if (infer.isEmpty() || manage.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new DemoCredentials(
            values.getOrDefault("MAAS_TENANT", DemoBootstrap.TENANT),
            infer,
            manage,
            values.getOrDefault("MAAS_GATEWAY", ""),
            values.getOrDefault("MAAS_ENDPOINT", "")));
  }

  /**
   * Replaces the file in {@code dataDir} with these credentials: written beside it with mode 600,
   * then renamed into place, so it is never readable by others nor seen half-written.
   */
  public void write(Path dataDir) {
    Path file = file(dataDir);
    Path staging = file.resolveSibling("." + FILE_NAME + ".tmp");
    try {
      Files.createDirectories(dataDir);
      Files.deleteIfExists(staging);
      Files.createFile(
          staging,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(staging, text(file), StandardCharsets.UTF_8);
      Files.move(
          staging, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The same keys, reached at other addresses. */
  public DemoCredentials at(String gateway, String endpoint) {
    return new DemoCredentials(tenant, inferKey, manageKey, gateway, endpoint);
  }

  /** The text of the file at {@code file}. */
  String text(Path file) {
    return """
        # maas demo credentials for tenant %1$s. The control plane cannot show these keys again.
        # Load them into a shell with:  . %6$s
        export MAAS_TENANT=%1$s
        # The infer key: calls through the gateway (maas infer, the Java SDK, Triton clients).
        export MAAS_GATEWAY=%2$s
        export MAAS_API_KEY=%3$s
        # The manage key: the admin API for this tenant (maas model, maas deploy, maas key, ...).
        export MAAS_ENDPOINT=%4$s
        export MAAS_TOKEN=%5$s
        """
        .formatted(tenant, gateway, inferKey, endpoint, manageKey, sourceable(file));
  }

  /**
   * {@code file} as the shell's {@code .} takes it: with a directory part, so not searched in PATH.
   */
  public static String sourceable(Path file) {
    String text = file.toString();
    return file.isAbsolute() || text.startsWith("./") || text.startsWith("../")
        ? text
        : "./" + text;
  }

  @Override
  public String toString() {
    // Never print the keys.
    return "DemoCredentials[tenant=" + tenant + ", gateway=" + gateway + "]";
  }
}
