package dev.maas.standalone;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the standalone platform runs. A port of 0 picks a free one; a metrics or HTTP port of -1
 * turns that endpoint off.
 *
 * @param dataDir the control plane's data (embedded PostgreSQL, artifacts, generated secrets), the
 *     worker's model cache under {@code worker/}, and the demo key
 * @param controlPlanePort the control plane's gRPC port (admin and cluster API)
 * @param controlPlaneHttpPort the control plane's HTTP port (health, Prometheus)
 * @param workerPort the worker's gRPC port
 * @param workerMetricsPort the worker's Prometheus port
 * @param workerSlots model replicas the worker may hold at once
 * @param gatewayPort the gateway's gRPC port, the one tenants call
 * @param gatewayMetricsPort the gateway's Prometheus port
 * @param usageReportInterval how often the gateway reports usage to the control plane
 * @param shutdownGrace how long in-flight calls may finish on shutdown, per service
 * @param controlPlaneProperties further Micronaut properties for the control plane ({@code
 *     maas.cluster.heartbeat-timeout-ms} and such); they win over what the platform sets itself
 */
public record StandaloneOptions(
    Path dataDir,
    int controlPlanePort,
    int controlPlaneHttpPort,
    int workerPort,
    int workerMetricsPort,
    int workerSlots,
    int gatewayPort,
    int gatewayMetricsPort,
    Duration usageReportInterval,
    Duration shutdownGrace,
    Map<String, Object> controlPlaneProperties) {

  /** The worker's id in the control plane; stable, so a restart finds its placements again. */
  public static final String WORKER_ID = "standalone-worker";

  /** The gateway's id in the control plane's logs and usage reports. */
  public static final String GATEWAY_ID = "standalone-gateway";

  public StandaloneOptions {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(usageReportInterval, "usageReportInterval");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    controlPlaneProperties = Map.copyOf(controlPlaneProperties);
    if (workerSlots < 1) {
      throw new IllegalArgumentException("worker slots must be at least 1, got " + workerSlots);
    }
  }

  /** The default ports (Triton's for the gateway) over {@code dataDir}. */
  public static StandaloneOptions defaults(Path dataDir) {
    return new StandaloneOptions(
        dataDir,
        7001,
        7000,
        9001,
        9002,
        8,
        8001,
        8002,
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Map.of());
  }

  /** Free ports everywhere, quick usage reports and a short grace, as tests want. */
  public static StandaloneOptions ephemeral(Path dataDir) {
    return new StandaloneOptions(
        dataDir, 0, 0, 0, 0, 8, 0, 0, Duration.ofMillis(200), Duration.ofSeconds(2), Map.of());
  }

  /** These options with more control plane properties. */
  public StandaloneOptions withControlPlaneProperties(Map<String, Object> properties) {
    return new StandaloneOptions(
        dataDir,
        controlPlanePort,
        controlPlaneHttpPort,
        workerPort,
        workerMetricsPort,
        workerSlots,
        gatewayPort,
        gatewayMetricsPort,
        usageReportInterval,
        shutdownGrace,
        properties);
  }
}
