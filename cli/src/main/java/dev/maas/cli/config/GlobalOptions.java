package dev.maas.cli.config;

import dev.maas.cli.Durations;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options every command takes: where to connect, credentials, output and diagnostics. */
public final class GlobalOptions {

  /** How results are printed. */
  public enum OutputFormat {
    /** Aligned columns for people. */
    TABLE,
    /** JSON for scripts. */
    JSON
  }

  @Option(
      names = "--endpoint",
      paramLabel = "HOST:PORT",
      description = "Control plane admin API (env MAAS_ENDPOINT; default localhost:7001).")
  String endpoint;

  @Option(
      names = "--gateway",
      paramLabel = "HOST:PORT",
      description = "Gateway for infer and perf (env MAAS_GATEWAY; default localhost:8001).")
  String gateway;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "Admin token or manage key for the admin API (env MAAS_TOKEN).")
  String token;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      description = "API key with the infer scope for infer and perf (env MAAS_API_KEY).")
  String apiKey;

  @Option(
      names = "--tenant",
      paramLabel = "NAME",
      description =
          "Tenant to act on (env MAAS_TENANT); by default the only tenant the credential sees.")
  String tenant;

  @Option(
      names = "--tls",
      description = "Use TLS, trusting the JVM's certificate authorities (env MAAS_TLS=true).")
  boolean tls;

  @Option(
      names = "--ca-file",
      paramLabel = "PEM",
      description = "Use TLS, trusting the authorities in this PEM file (env MAAS_CA_FILE).")
  Path caFile;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      description = "Profile of the profile file to use (env MAAS_PROFILE; default 'default').")
  String profile;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Profile file (env MAAS_CONFIG; default ~/.maas/profiles).")
  Path config;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = Durations.Converter.class,
      description = "Deadline of each call, such as 30s (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table or json (default ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Option(names = "--debug", description = "Print stack traces of failures.")
  boolean debug;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  /** Set by {@code maas login}: the profile named may not exist yet. */
  boolean creatingProfile;

  /** How results are printed. */
  public OutputFormat output() {
    return output;
  }

  /** Whether failures print their stack traces. */
  public boolean debug() {
    return debug;
  }

  /** Marks that the profile named is being created, so it need not exist. */
  public void creatingProfile() {
    this.creatingProfile = true;
  }
}
