package dev.maas.cli;

import dev.maas.sdk.testing.LivePlatform;
import dev.maas.sdk.testing.TestTenant;
import java.nio.file.Path;

/** A {@link Cli} pointed at the live platform's endpoints. */
final class LiveCli {

  private LiveCli() {}

  /** A CLI with the admin token and no tenant. */
  static Cli asAdmin(LivePlatform platform, Path home) {
    return new Cli(home)
        .env("MAAS_ENDPOINT", platform.adminTarget())
        .env("MAAS_GATEWAY", platform.gatewayTarget())
        .env("MAAS_TOKEN", LivePlatform.ADMIN_TOKEN);
  }

  /** A CLI with the tenant's manage key as token and its infer key as API key. */
  static Cli asTenant(LivePlatform platform, TestTenant tenant, Path home) {
    return new Cli(home)
        .env("MAAS_ENDPOINT", platform.adminTarget())
        .env("MAAS_GATEWAY", platform.gatewayTarget())
        .env("MAAS_TOKEN", tenant.manageKey())
        .env("MAAS_API_KEY", tenant.inferKey());
  }
}
