package dev.maas.cli;

import dev.maas.cli.config.GlobalOptions;
import dev.maas.cli.config.Settings;
import dev.maas.cli.output.Printer;
import dev.maas.sdk.MaasAdminClient;
import dev.maas.sdk.MaasClient;
import dev.maas.sdk.admin.Tenant;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A leaf command: takes the global options, resolves the settings, opens the clients it needs and
 * closes them when it is done. Subclasses implement {@link #run()}.
 */
public abstract class CliCommand implements Callable<Integer> {

  @Mixin protected GlobalOptions global;

  @Spec protected CommandSpec spec;

  private Settings settings;
  private MaasAdminClient admin;
  private MaasClient inference;
  private final java.util.Set<String> targets = new java.util.LinkedHashSet<>();

  /** Runs the command and returns its exit code. */
  protected abstract int run() throws Exception;

  @Override
  public final Integer call() throws Exception {
    try {
      return run();
    } finally {
      if (admin != null) {
        admin.close();
      }
      if (inference != null) {
        inference.close();
      }
    }
  }

  /** Whether failures print stack traces. */
  public boolean debug() {
    return global != null && global.debug();
  }

  /** The endpoints this command talked to, for error messages. */
  public java.util.Set<String> targets() {
    return java.util.Collections.unmodifiableSet(targets);
  }

  /** The CLI's surroundings. */
  protected CliEnvironment environment() {
    return ((Main) spec.root().userObject()).environment();
  }

  /** The settings: flags, then MAAS_* variables, then the profile, then defaults. */
  protected Settings settings() {
    if (settings == null) {
      settings = Settings.resolve(global, environment());
    }
    return settings;
  }

  /** Standard output. */
  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Standard error: progress and notes for people. */
  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Prints results in the chosen format. */
  protected Printer printer() {
    return new Printer(out(), global.output());
  }

  /** The admin client, opened on first use. */
  protected MaasAdminClient admin() {
    if (admin == null) {
      Settings s = settings();
      if (s.token() == null) {
        throw CliException.usage(
            "no credential for the admin API: give --token, set MAAS_TOKEN, or run maas login");
      }
      MaasAdminClient.Builder builder =
          MaasAdminClient.builder().target(s.endpoint()).token(s.token()).timeout(s.timeout());
      if (s.caFile() != null) {
        builder.trustCertificates(s.caFile());
      } else {
        builder.tls(s.tls());
      }
      admin = builder.build();
      targets.add(s.endpoint());
    }
    return admin;
  }

  /** The inference client on the gateway, opened on first use; the API key, else the token. */
  protected MaasClient inference() {
    if (inference == null) {
      Settings s = settings();
      String key = s.apiKey() != null ? s.apiKey() : s.token();
      if (key == null) {
        throw CliException.usage(
            "no API key for the gateway: give --api-key, set MAAS_API_KEY, or run maas login");
      }
      MaasClient.Builder builder =
          MaasClient.builder().target(s.gateway()).apiKey(key).timeout(s.timeout());
      if (s.caFile() != null) {
        builder.trustCertificates(s.caFile());
      } else {
        builder.tls(s.tls());
      }
      inference = builder.build();
      targets.add(s.gateway());
    }
    return inference;
  }

  /**
   * The tenant to act on: the one named by flag, environment or profile, else the only one the
   * credential can see (a manage key sees its own).
   */
  protected String tenant() {
    if (settings().tenant() != null) {
      return settings().tenant();
    }
    List<Tenant> visible = admin().tenants().list();
    if (visible.size() == 1) {
      return visible.get(0).name();
    }
    throw CliException.usage(
        "name the tenant with --tenant NAME or MAAS_TENANT (the credential sees "
            + visible.size()
            + " tenants)");
  }
}
