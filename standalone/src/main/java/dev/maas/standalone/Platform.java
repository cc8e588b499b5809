package dev.maas.standalone;

import dev.maas.gateway.Gateway;
import dev.maas.gateway.GatewayOptions;
import dev.maas.gateway.forwarding.RetryPolicy;
import dev.maas.gateway.routing.EjectionPolicy;
import dev.maas.gateway.snapshot.ReconnectBackoff;
import dev.maas.launch.ConnectionLimits;
import dev.maas.proto.admin.v1.Device;
import dev.maas.standalone.demo.Bearer;
import dev.maas.standalone.demo.DemoBootstrap;
import dev.maas.standalone.demo.DemoCredentials;
import dev.maas.worker.Worker;
import dev.maas.worker.WorkerOptions;
import dev.maas.worker.cluster.ClusterOptions;
import dev.maas.worker.cluster.ClusterToken;
import dev.maas.worker.runtime.SessionSettings;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three services of maas in one JVM: the control plane (with its embedded PostgreSQL), one
 * worker in cluster mode and the gateway, all on loopback addresses to each other. {@link #close()}
 * stops them in the reverse order: gateway, worker, control plane.
 */
public final class Platform implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Platform.class);
  private static final String LOOPBACK = "127.0.0.1";

  private final StandaloneOptions options;
  private final EmbeddedControlPlane controlPlane;
  private final Worker worker;
  private final Gateway gateway;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Platform(
      StandaloneOptions options,
      EmbeddedControlPlane controlPlane,
      Worker worker,
      Gateway gateway) {
    this.options = options;
    this.controlPlane = controlPlane;
    this.worker = worker;
    this.gateway = gateway;
  }

  /**
   * Starts the control plane, then the worker, then the gateway. Returns once all three listen;
   * models load and routes arrive in the background. A service that fails to start stops the ones
   * started before it.
   *
   * @throws IOException when a port cannot be bound
   */
  public static Platform start(StandaloneOptions options) throws IOException {
    EmbeddedControlPlane controlPlane = EmbeddedControlPlane.start(options);
    Worker worker = null;
    try {
      String clusterToken = controlPlane.clusterToken();
      String controlPlaneTarget = LOOPBACK + ":" + controlPlane.grpcPort();
      worker = Worker.start(workerOptions(options, controlPlaneTarget, clusterToken));
      Gateway gateway = Gateway.start(gatewayOptions(options, controlPlaneTarget, clusterToken));
      return new Platform(options, controlPlane, worker, gateway);
    } catch (IOException | RuntimeException e) {
      if (worker != null) {
        worker.close();
      }
      controlPlane.close();
      throw e;
    }
  }

  /** The options the platform runs with. */
  public StandaloneOptions options() {
    return options;
  }

  /** The gateway's gRPC port, the one tenants call. */
  public int gatewayPort() {
    return gateway.port();
  }

  /** The gateway's metrics port, or -1. */
  public int gatewayMetricsPort() {
    return gateway.metricsPort();
  }

  /** The control plane's gRPC port (admin and cluster API). */
  public int controlPlanePort() {
    return controlPlane.grpcPort();
  }

  /** The control plane's HTTP port (health, Prometheus), or -1. */
  public int controlPlaneHttpPort() {
    return controlPlane.httpPort();
  }

  /** The worker's gRPC port. */
  public int workerPort() {
    return worker.port();
  }

  /** The worker's metrics port, or -1. */
  public int workerMetricsPort() {
    return worker.metricsPort();
  }

  /** The platform admin token. */
  public String adminToken() {
    return controlPlane.adminToken();
  }

  /** The file holding the admin token; empty when it was configured as a value. */
  public Optional<Path> adminTokenFile() {
    return controlPlane.adminTokenFile();
  }

  /** The device the worker registers with, which deployments must ask for to be placed on it. */
  public Device deviceForDeployments() {
    return SessionSettings.defaults().device() == SessionSettings.Device.GPU
        ? Device.DEVICE_GPU
        : Device.DEVICE_CPU;
  }

  /**
   * Runs the {@link DemoBootstrap demo bootstrap} against this platform: makes what is missing and
   * waits until the demo models serve through the gateway.
   *
   * @return the demo credentials, as saved in the data directory
   */
  public DemoCredentials bootstrapDemo(Duration servingTimeout) throws InterruptedException {
    ManagedChannel controlPlaneChannel = loopbackChannel(controlPlanePort());
    ManagedChannel gatewayChannel = loopbackChannel(gatewayPort());
    try {
      return new DemoBootstrap(
              Bearer.over(controlPlaneChannel, adminToken()),
              gatewayChannel,
              options.dataDir(),
              "localhost:" + gatewayPort(),
              "localhost:" + controlPlanePort(),
              deviceForDeployments())
          .run(servingTimeout);
    } finally {
      controlPlaneChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      gatewayChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** A plaintext channel to one of the platform's gRPC ports on the loopback address. */
  public static ManagedChannel loopbackChannel(int port) {
    return NettyChannelBuilder.forAddress(LOOPBACK, port).usePlaintext().build();
  }

  /** Stops the gateway, then the worker, then the control plane; each drains its calls first. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    log.info("stopping the gateway");
    gateway.close();
    log.info("stopping the worker");
    worker.close();
    log.info("stopping the control plane");
    controlPlane.close();
    log.info("maas standalone stopped");
  }

  private static WorkerOptions workerOptions(
      StandaloneOptions options, String controlPlane, String clusterToken) throws IOException {
    // The advertised address must name the real port; with port 0, pick one now.
    int port = options.workerPort() == 0 ? freeLoopbackPort() : options.workerPort();
    Path cache = options.dataDir().resolve("worker");
    return new WorkerOptions(
        cache.resolve("repository"),
        port,
        options.workerMetricsPort(),
        Duration.ofSeconds(2),
        SessionSettings.defaults(),
        WorkerOptions.DEFAULT_MAX_MESSAGE_BYTES,
        options.shutdownGrace(),
        Optional.of(
            new ClusterOptions(
                controlPlane,
                LOOPBACK + ":" + port,
                StandaloneOptions.WORKER_ID,
                options.workerSlots(),
                ClusterToken.of(clusterToken))),
        ConnectionLimits.defaults());
  }

  private static GatewayOptions gatewayOptions(
      StandaloneOptions options, String controlPlane, String clusterToken) {
    return new GatewayOptions(
        controlPlane,
        clusterToken,
        StandaloneOptions.GATEWAY_ID,
        options.gatewayPort(),
        options.gatewayMetricsPort(),
        1,
        GatewayOptions.DEFAULT_MAX_MESSAGE_BYTES,
        RetryPolicy.defaults(),
        EjectionPolicy.defaults(),
        new ReconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(10)),
        options.usageReportInterval(),
        options.shutdownGrace(),
        100,
        ConnectionLimits.defaults());
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port for the worker", e);
    }
  }
}
