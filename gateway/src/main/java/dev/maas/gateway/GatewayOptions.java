package dev.maas.gateway;

import dev.maas.gateway.forwarding.RetryPolicy;
import dev.maas.gateway.routing.EjectionPolicy;
import dev.maas.gateway.snapshot.ReconnectBackoff;
import dev.maas.launch.ConnectionLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a gateway is started with.
 *
 * @param controlPlane the control plane's cluster API, as a gRPC target (host:port)
 * @param clusterToken the cluster token, sent to the control plane and to workers
 * @param gatewayId this gateway's id in the control plane's logs and usage reports
 * @param port gRPC port for tenants; 0 picks a free one
 * @param metricsPort Prometheus port; 0 picks a free one, -1 turns metrics off
 * @param replicasHint how many gateways share the tenants' rate and concurrency limits
 * @param maxMessageBytes largest gRPC message accepted from tenants and from workers
 * @param retry retries on another worker replica
 * @param ejection when a failing worker replica is taken out of rotation
 * @param reconnect backoff of the routing snapshot stream
 * @param usageReportInterval how often usage is reported
 * @param shutdownGrace how long in-flight calls may finish on shutdown
 * @param maxTenantLabels tenants with a label value of their own in the metrics
 * @param connections idle-connection timeout and keepalive ping policy of the tenant-facing server
 */
public record GatewayOptions(
    String controlPlane,
    String clusterToken,
    String gatewayId,
    int port,
    int metricsPort,
    int replicasHint,
    int maxMessageBytes,
    RetryPolicy retry,
    EjectionPolicy ejection,
    ReconnectBackoff reconnect,
    Duration usageReportInterval,
    Duration shutdownGrace,
    int maxTenantLabels,
    ConnectionLimits connections) {

  /** Default largest message: 64 MiB, as the worker's. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  public GatewayOptions {
    Objects.requireNonNull(connections, "connections");
  }

  @Override
  public String toString() {
    // Never print the token.
    return "GatewayOptions[controlPlane="
        + controlPlane
        + ", gatewayId="
        + gatewayId
        + ", port="
        + port
        + ", metricsPort="
        + metricsPort
        + ", replicasHint="
        + replicasHint
        + "]";
  }

  /** Options for a gateway on ephemeral ports with short intervals, for tests. */
  public static GatewayOptions ephemeral(String controlPlane, String clusterToken) {
    return new GatewayOptions(
        controlPlane,
        clusterToken,
        "test-gateway",
        0,
        -1,
        1,
        DEFAULT_MAX_MESSAGE_BYTES,
        RetryPolicy.defaults(),
        EjectionPolicy.defaults(),
        new ReconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500)),
        Duration.ofMillis(200),
        Duration.ofSeconds(5),
        100,
        ConnectionLimits.defaults());
  }

  /** These options with another replicas hint. */
  public GatewayOptions withReplicasHint(int replicas) {
    return new GatewayOptions(
        controlPlane,
        clusterToken,
        gatewayId,
        port,
        metricsPort,
        replicas,
        maxMessageBytes,
        retry,
        ejection,
        reconnect,
        usageReportInterval,
        shutdownGrace,
        maxTenantLabels,
        connections);
  }

  /** These options with another ejection policy. */
  public GatewayOptions withEjection(EjectionPolicy policy) {
    return new GatewayOptions(
        controlPlane,
        clusterToken,
        gatewayId,
        port,
        metricsPort,
        replicasHint,
        maxMessageBytes,
        retry,
        policy,
        reconnect,
        usageReportInterval,
        shutdownGrace,
        maxTenantLabels,
        connections);
  }

  /** These options with another metrics port. */
  public GatewayOptions withMetricsPort(int metrics) {
    return new GatewayOptions(
        controlPlane,
        clusterToken,
        gatewayId,
        port,
        metrics,
        replicasHint,
        maxMessageBytes,
        retry,
        ejection,
        reconnect,
        usageReportInterval,
        shutdownGrace,
        maxTenantLabels,
        connections);
  }

  /** These options with another largest message. */
  public GatewayOptions withMaxMessageBytes(int bytes) {
    return new GatewayOptions(
        controlPlane,
        clusterToken,
        gatewayId,
        port,
        metricsPort,
        replicasHint,
        bytes,
        retry,
        ejection,
        reconnect,
        usageReportInterval,
        shutdownGrace,
        maxTenantLabels,
        connections);
  }

  /** These options with another usage report interval. */
  public GatewayOptions withUsageReportInterval(Duration interval) {
    return new GatewayOptions(
        controlPlane,
        clusterToken,
        gatewayId,
        port,
        metricsPort,
        replicasHint,
        maxMessageBytes,
        retry,
        ejection,
        reconnect,
        interval,
        shutdownGrace,
        maxTenantLabels,
        connections);
  }

  /** These options with another retry policy. */
  public GatewayOptions withRetry(RetryPolicy policy) {
    return new GatewayOptions(
        controlPlane,
        clusterToken,
        gatewayId,
        port,
        metricsPort,
        replicasHint,
        maxMessageBytes,
        policy,
        ejection,
        reconnect,
        usageReportInterval,
        shutdownGrace,
        maxTenantLabels,
        connections);
  }

  /** These options with other connection limits. */
  public GatewayOptions withConnections(ConnectionLimits limits) {
    return new GatewayOptions(
        controlPlane,
        clusterToken,
        gatewayId,
        port,
        metricsPort,
        replicasHint,
        maxMessageBytes,
        retry,
        ejection,
        reconnect,
        usageReportInterval,
        shutdownGrace,
        maxTenantLabels,
        limits);
  }
}
