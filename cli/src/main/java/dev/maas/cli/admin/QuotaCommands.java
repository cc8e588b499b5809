package dev.maas.cli.admin;

import dev.maas.cli.CliCommand;
import dev.maas.cli.output.Table;
import dev.maas.sdk.admin.Quota;
import dev.maas.sdk.admin.QuotaLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code maas quota get|set}. */
@Command(
    name = "quota",
    description = "Show or set a tenant's quota (setting needs the admin token).",
    mixinStandardHelpOptions = true,
    subcommands = {QuotaCommands.Get.class, QuotaCommands.Set.class})
public final class QuotaCommands {

  private QuotaCommands() {}

  private static Table table(Quota inForce, Quota overrides) {
    Table table = Table.of("LIMIT", "IN FORCE", "OVERRIDE");
    table.row("requests-per-second", inForce.requestsPerSecond(), overrides.requestsPerSecond());
    table.row("burst", inForce.burst(), overrides.burst());
    table.row(
        "max-concurrent-requests",
        inForce.maxConcurrentRequests(),
        overrides.maxConcurrentRequests());
    table.row("max-request-bytes", inForce.maxRequestBytes(), overrides.maxRequestBytes());
    table.row("monthly-requests", inForce.monthlyRequests(), overrides.monthlyRequests());
    table.row("max-models", inForce.maxModels(), overrides.maxModels());
    table.row("max-storage-bytes", inForce.maxStorageBytes(), overrides.maxStorageBytes());
    table.row("max-replicas", inForce.maxReplicas(), overrides.maxReplicas());
    return table;
  }

  /** {@code maas quota get}. */
  @Command(name = "get", description = "Show the limits in force and the tenant's own overrides.")
  static final class Get extends CliCommand {
    @Override
    protected int run() {
      QuotaLimits limits = admin().quotas().get(tenant());
      printer().print(limits, () -> table(limits.inForce(), limits.overrides()));
      return 0;
    }
  }

  /** {@code maas quota set --requests-per-second 50 ...}. */
  @Command(
      name = "set",
      description = {
        "Change the tenant's own limits. Limits not named keep their current override;"
            + " --reset first drops every override (back to the platform defaults)."
      })
  static final class Set extends CliCommand {
    @Option(names = "--requests-per-second", paramLabel = "N")
    Double requestsPerSecond;

    @Option(names = "--burst", paramLabel = "N")
    Long burst;

    @Option(names = "--max-concurrent-requests", paramLabel = "N")
    Long maxConcurrentRequests;

    @Option(names = "--max-request-bytes", paramLabel = "N")
    Long maxRequestBytes;

    @Option(names = "--monthly-requests", paramLabel = "N")
    Long monthlyRequests;

    @Option(names = "--max-models", paramLabel = "N")
    Long maxModels;

    @Option(names = "--max-storage-bytes", paramLabel = "N")
    Long maxStorageBytes;

    @Option(names = "--max-replicas", paramLabel = "N")
    Long maxReplicas;

    @Option(names = "--reset", description = "Drop the tenant's current overrides first.")
    boolean reset;

    @Override
    protected int run() {
      String tenant = tenant();
      Quota base = reset ? Quota.unset() : admin().quotas().get(tenant).overrides();
      Quota overrides =
          base.overriddenBy(
              new Quota(
                  requestsPerSecond,
                  burst,
                  maxConcurrentRequests,
                  maxRequestBytes,
                  monthlyRequests,
                  maxModels,
                  maxStorageBytes,
                  maxReplicas));
      Quota inForce = admin().quotas().set(tenant, overrides);
      printer().print(new QuotaLimits(inForce, overrides), () -> table(inForce, overrides));
      return 0;
    }
  }
}
