package dev.maas.cli.admin;

import dev.maas.cli.CliCommand;
import dev.maas.cli.output.Printer;
import dev.maas.cli.output.Table;
import dev.maas.sdk.admin.Batching;
import dev.maas.sdk.admin.Deployment;
import dev.maas.sdk.admin.Device;
import dev.maas.sdk.admin.Replica;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code maas deploy MODEL --version V ...}. */
@Command(
    name = "deploy",
    description = {
      "Deploy a model, or replace its deployment as a whole (options left out take their"
          + " defaults again)."
    })
public final class DeployCommand extends CliCommand {

  @Parameters(paramLabel = "MODEL")
  String model;

  @Option(
      names = "--version",
      required = true,
      paramLabel = "V",
      description = "The default version: requests naming none run on it (unless --split).")
  long version;

  @Option(
      names = "--replicas",
      paramLabel = "N",
      description = "Replicas that must serve (default 1).")
  int replicas;

  @Option(
      names = "--max-replicas",
      paramLabel = "N",
      description = "Replicas that may serve under load (default: --replicas).")
  int maxReplicas;

  @Option(
      names = "--device",
      paramLabel = "cpu|gpu",
      description = "Where replicas run (default cpu).")
  String device = "cpu";

  @Option(
      names = "--batch-size",
      paramLabel = "B",
      description = "Largest dynamic batch in items; 0 (default) turns batching off.")
  int batchSize;

  @Option(
      names = "--batch-delay-us",
      paramLabel = "D",
      description = "How long a batch waits for more requests, in microseconds.")
  long batchDelayMicros;

  @Option(
      names = "--preferred-batch-sizes",
      split = ",",
      paramLabel = "N",
      description = "Batch sizes dispatched as soon as reached.")
  List<Integer> preferredBatchSizes = List.of();

  @Option(
      names = "--queue-size",
      paramLabel = "N",
      description = "Requests that may wait (default 1024).")
  int queueSize;

  @Option(
      names = "--instances",
      paramLabel = "N",
      description = "Batches run in parallel per replica.")
  int instances;

  @Option(
      names = "--split",
      split = ",",
      paramLabel = "V=PERCENT",
      description = "Traffic split across versions, such as 1=90,2=10 (adding up to 100).")
  Map<String, Integer> split = Map.of();

  @Option(
      names = "--rate-limit",
      paramLabel = "RPS",
      description = "Requests per second for this model across the tenant; 0 for none.")
  double rateLimit;

  @Override
  protected int run() {
    Deployment.Builder builder =
        Deployment.builder(tenant(), model, version)
            .replicas(replicas, maxReplicas)
            .device(Device.of(device))
            .batching(
                new Batching(
                    batchSize, batchDelayMicros, preferredBatchSizes, queueSize, instances))
            .rateLimitRps(rateLimit);
    split.forEach((v, percent) -> builder.split(versionNumber(v), percent));
    Deployment deployed = admin().deployments().set(builder.build());
    printer().print(deployed, () -> table(deployed));
    if (!printer().json() && !deployed.replicas().isEmpty()) {
      out().println();
      out().println("replicas (placed before this change):");
      replicaTable(deployed.replicas()).print(out());
      out().flush();
    }
    return 0;
  }

  private static long versionNumber(String text) {
    String digits = text.strip().startsWith("v") ? text.strip().substring(1) : text.strip();
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' in --split is not a version number", e);
    }
  }

  static Table table(Deployment d) {
    Table table =
        Table.of("MODEL", "VERSION", "SPLIT", "REPLICAS", "DEVICE", "BATCH", "DELAY US", "UPDATED");
    table.row(
        d.model(),
        d.defaultVersion(),
        d.trafficSplit().stream()
            .map(s -> s.version() + "=" + s.percent())
            .collect(Collectors.joining(",")),
        d.minReplicas() + "-" + d.maxReplicas(),
        d.device().name().toLowerCase(java.util.Locale.ROOT),
        d.batching().maxBatchSize(),
        d.batching().maxQueueDelayMicros(),
        Printer.time(d.updateTime()));
    return table;
  }

  /** One row per replica: where each version runs, its state and, when it FAILED, why. */
  static Table replicaTable(List<Replica> replicas) {
    Table table = Table.of("VERSION", "WORKER", "STATE", "REASON");
    for (Replica replica : replicas) {
      table.row(
          replica.version(),
          replica.worker(),
          replica.state() + (replica.workerHealthy() ? "" : " (worker unhealthy)"),
          replica.reason().isEmpty() ? "-" : replica.reason());
    }
    return table;
  }
}
