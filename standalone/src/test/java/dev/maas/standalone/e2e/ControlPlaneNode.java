package dev.maas.standalone.e2e;

import dev.maas.controlplane.grpc.GrpcServer;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The real control plane (its Micronaut context, gRPC only) on a fixed loopback port over a given
 * PostgreSQL database, so it can be stopped and started again at the same address while workers and
 * the gateway keep running. Not thread-safe: the test thread drives it.
 */
public final class ControlPlaneNode implements AutoCloseable {

  /** The admin token the node is configured with. */
  public static final String ADMIN_TOKEN = "e2e-admin-token-0123456789abcdef";

  /** The cluster token the node, the workers and the gateway share. */
  public static final String CLUSTER_TOKEN = "e2e-cluster-token-0123456789abcdef";

  private final Map<String, Object> properties = new HashMap<>();
  private final int port;
  private ApplicationContext context;

  /**
   * A node, not started yet.
   *
   * @param jdbcUrl the database, kept across restarts
   * @param dataDir artifacts and the generated master key, kept across restarts
   * @param port the gRPC port, the same on every start
   */
  public ControlPlaneNode(String jdbcUrl, Path dataDir, int port) {
    this.port = port;
    properties.put("maas.db.url", jdbcUrl);
    properties.put("maas.db.user", "postgres");
    properties.put("maas.data-dir", dataDir.toAbsolutePath().toString());
    properties.put("maas.grpc-port", port);
    properties.put("maas.admin-token", ADMIN_TOKEN);
    properties.put("maas.cluster-token", CLUSTER_TOKEN);
    // Micronaut's HTTP server (health, Prometheus) is not started: nothing here needs it.
    properties.put("micronaut.server.port", -1);
    properties.put("maas.cluster.heartbeat-interval-ms", 300);
    properties.put("maas.cluster.heartbeat-timeout-ms", 1500);
    properties.put("maas.cluster.reconcile-interval-ms", 250);
  }

  /** Starts the control plane; returns once its gRPC server listens. */
  public void start() {
    if (context != null) {
      throw new IllegalStateException("the control plane is already running");
    }
    context = ApplicationContext.builder().properties(properties).deduceEnvironment(false).start();
    int listening = context.getBean(GrpcServer.class).port();
    if (listening != port) {
      throw new IllegalStateException(
          "the control plane listens on " + listening + ", not " + port);
    }
  }

  /** Stops it gracefully (its gRPC server drains); the database and data directory stay. */
  public void stop() {
    if (context != null) {
      ApplicationContext running = context;
      context = null;
      running.close();
    }
  }

  /** Whether it runs now. */
  public boolean running() {
    return context != null;
  }

  /** The gRPC target, {@code host:port}, the same across restarts. */
  public String target() {
    return "127.0.0.1:" + port;
  }

  /** The gRPC port. */
  public int port() {
    return port;
  }

  @Override
  public void close() {
    stop();
  }
}
