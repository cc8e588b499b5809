package dev.maas.worker;

import dev.maas.launch.ConnectionLimits;
import dev.maas.worker.cluster.ClusterOptions;
import dev.maas.worker.runtime.SessionSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a worker runs.
 *
 * @param modelRepository the model repository directory; in cluster mode, the directory the worker
 *     keeps its assigned models in (its contents belong to the worker)
 * @param port gRPC port (0 picks a free one)
 * @param metricsPort Prometheus HTTP port (0 picks a free one, -1 disables it)
 * @param pollInterval how often the repository is scanned for changes
 * @param session TensorFlow session settings: threads and device
 * @param maxMessageBytes largest gRPC message accepted
 * @param shutdownGrace how long in-flight requests may run on shutdown
 * @param cluster present in cluster mode: models come from the control plane's assignments
 * @param connections idle-connection timeout and keepalive ping policy of the gRPC server
 */
public record WorkerOptions(
    Path modelRepository,
    int port,
    int metricsPort,
    Duration pollInterval,
    SessionSettings session,
    int maxMessageBytes,
    Duration shutdownGrace,
    Optional<ClusterOptions> cluster,
    ConnectionLimits connections) {

  /** Default gRPC port, as Triton's. */
  public static final int DEFAULT_PORT = 9001;

  /** Default metrics port. */
  public static final int DEFAULT_METRICS_PORT = 9002;

  /** Default largest message: 64 MiB, room for a batch of images. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  public WorkerOptions {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(connections, "connections");
  }

  /** Options of a standalone worker, serving a model repository. */
  public WorkerOptions(
      Path modelRepository,
      int port,
      int metricsPort,
      Duration pollInterval,
      SessionSettings session,
      int maxMessageBytes,
      Duration shutdownGrace) {
    this(
        modelRepository,
        port,
        metricsPort,
        pollInterval,
        session,
        maxMessageBytes,
        shutdownGrace,
        Optional.empty(),
        ConnectionLimits.defaults());
  }

  /** Options for a worker on free ports with the defaults, as tests and embedders want. */
  public static WorkerOptions ephemeral(Path modelRepository) {
    return new WorkerOptions(
        modelRepository,
        0,
        -1,
        Duration.ofMillis(200),
        SessionSettings.defaults(),
        DEFAULT_MAX_MESSAGE_BYTES,
        Duration.ofSeconds(5));
  }

  /** A copy with another poll interval. */
  public WorkerOptions withPollInterval(Duration interval) {
    return new WorkerOptions(
        modelRepository,
        port,
        metricsPort,
        interval,
        session,
        maxMessageBytes,
        shutdownGrace,
        cluster,
        connections);
  }

  /** A copy in cluster mode, keeping the assigned models in {@link #modelRepository()}. */
  public WorkerOptions withCluster(ClusterOptions clusterOptions) {
    return new WorkerOptions(
        modelRepository,
        port,
        metricsPort,
        pollInterval,
        session,
        maxMessageBytes,
        shutdownGrace,
        Optional.of(clusterOptions),
        connections);
  }

  /** A copy with another largest message. */
  public WorkerOptions withMaxMessageBytes(int bytes) {
    return new WorkerOptions(
        modelRepository,
        port,
        metricsPort,
        pollInterval,
        session,
        bytes,
        shutdownGrace,
        cluster,
        connections);
  }

  /** A copy with other connection limits. */
  public WorkerOptions withConnections(ConnectionLimits limits) {
    return new WorkerOptions(
        modelRepository,
        port,
        metricsPort,
        pollInterval,
        session,
        maxMessageBytes,
        shutdownGrace,
        cluster,
        limits);
  }
}
