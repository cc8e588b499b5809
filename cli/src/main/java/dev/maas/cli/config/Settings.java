package dev.maas.cli.config;

import dev.maas.cli.CliEnvironment;
import dev.maas.cli.CliException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Where the CLI connects and with which credentials, resolved per setting from, in order: the
 * command-line flag, the {@code MAAS_*} environment variable, the profile file, the default.
 *
 * @param endpoint the control plane's admin API (host:port)
 * @param gateway the gateway's inference API (host:port)
 * @param token the admin token or manage key for the admin API; null if none
 * @param apiKey the API key for inference; null if none
 * @param tenant the tenant commands act on; null to work it out
 * @param tls whether to use TLS
 * @param caFile PEM file of trusted authorities for TLS; null for the JVM's
 * @param timeout deadline of each call
 * @param profile the profile's name
 * @param profiles the profile file
 */
public record Settings(
    String endpoint,
    String gateway,
    String token,
    String apiKey,
    String tenant,
    boolean tls,
    Path caFile,
    Duration timeout,
    String profile,
    ProfileStore profiles) {

  /** The admin API's default address. */
  public static final String DEFAULT_ENDPOINT = "localhost:7001";

  /** The gateway's default address. */
  public static final String DEFAULT_GATEWAY = "localhost:8001";

  /**
   * Resolves every setting.
   *
   * @throws CliException when a profile named by flag or environment does not exist
   */
  public static Settings resolve(GlobalOptions flags, CliEnvironment environment) {
    Path file =
        flags.config != null
            ? flags.config
            : environment.variable("MAAS_CONFIG") != null
                ? Path.of(environment.variable("MAAS_CONFIG"))
                : environment.home().resolve(".maas").resolve("profiles");
    ProfileStore store = new ProfileStore(file);
    String named = first(flags.profile, environment.variable("MAAS_PROFILE"));
    String profile = named == null ? "default" : named;
    Map<String, String> stored = store.read(profile);
    if (named != null && stored.isEmpty() && !flags.creatingProfile) {
      throw CliException.usage(
          "no profile '" + profile + "' in " + file + "; run: maas login --profile " + profile);
    }
    Lookup lookup = new Lookup(environment, stored);
    String caFile = lookup.get(flags.caFile == null ? null : flags.caFile.toString(), "ca-file");
    String tls = lookup.get(flags.tls ? "true" : null, "tls");
    return new Settings(
        orDefault(lookup.get(flags.endpoint, "endpoint"), DEFAULT_ENDPOINT),
        orDefault(lookup.get(flags.gateway, "gateway"), DEFAULT_GATEWAY),
        lookup.get(flags.token, "token"),
        lookup.get(flags.apiKey, "api-key"),
        lookup.get(flags.tenant, "tenant"),
        Boolean.parseBoolean(tls) || caFile != null,
        caFile == null ? null : Path.of(caFile),
        flags.timeout,
        profile,
        store);
  }

  /** Finds a setting in the environment, then the profile. */
  private record Lookup(CliEnvironment environment, Map<String, String> stored) {
    String get(String flag, String key) {
      return first(
          flag, first(environment.variable(variableFor(key)), blankToNull(stored.get(key))));
    }
  }

  /** The variable of a setting: {@code api-key} → {@code MAAS_API_KEY}. */
  public static String variableFor(String key) {
    return "MAAS_" + key.replace('-', '_').toUpperCase(java.util.Locale.ROOT);
  }

  private static String first(String a, String b) {
    return a != null && !a.isBlank() ? a : b;
  }

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  @Override
  public String toString() {
    // Never print credentials.
    return "Settings[endpoint=" + endpoint + ", gateway=" + gateway + ", profile=" + profile + "]";
  }
}
