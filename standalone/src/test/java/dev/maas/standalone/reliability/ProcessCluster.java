package dev.maas.standalone.reliability;

import static org.awaitility.Awaitility.await;

import dev.maas.proto.admin.v1.Device;
import dev.maas.proto.admin.v1.Worker;
import dev.maas.standalone.demo.Bearer;
import dev.maas.standalone.e2e.ClusterAdmin;
import dev.maas.standalone.e2e.ControlPlaneNode;
import dev.maas.standalone.e2e.EndToEndCluster;
import dev.maas.standalone.e2e.WorkerProcess;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A cluster of real processes on loopback, once per test class, every part of which can be killed
 * with {@code kill -9} and started again at the same address: an embedded PostgreSQL (restartable
 * on its data directory and port), the control plane and the gateway from their runnable jars (the
 * gateway with its usage journal on a directory kept across restarts), and worker processes. Logs
 * are kept in {@code target/reliability/logs/<test class>/}.
 */
final class ProcessCluster implements BeforeAllCallback, AfterAllCallback {

  static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  private final int workerCount;
  private final String gatewayHeap;
  private final double usageReportSeconds;
  private final List<WorkerProcess> workers = new ArrayList<>();
  private final List<Integer> workerMetricsPorts = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private Path work;
  private int postgresPort;
  private volatile EmbeddedPostgres postgres;
  private int controlPlanePort;
  private volatile ServiceProcess controlPlane;
  private volatile ManagedChannel controlPlaneChannel;
  private int gatewayPort;
  private int gatewayMetricsPort;
  private volatile ServiceProcess gateway;
  private ManagedChannel gatewayChannel;

  ProcessCluster(int workerCount, String gatewayHeap, double usageReportSeconds) {
    this.workerCount = workerCount;
    this.gatewayHeap = gatewayHeap;
    this.usageReportSeconds = usageReportSeconds;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    work = Files.createTempDirectory("maas-reliability");
    postgresPort = EndToEndCluster.freePort();
    startPostgres();
    controlPlanePort = EndToEndCluster.freePort();
    startControlPlane();
    for (int i = 0; i < workerCount; i++) {
      startWorker("reliability-worker-" + i);
    }
    gatewayPort = EndToEndCluster.freePort();
    gatewayMetricsPort = EndToEndCluster.freePort();
    gatewayChannel =
        NettyChannelBuilder.forAddress("127.0.0.1", gatewayPort)
            .usePlaintext()
            .maxInboundMessageSize(16 << 20)
            .build();
    startGateway();
    await("healthy workers")
        .atMost(START_TIMEOUT)
        .ignoreExceptions()
        .until(() -> admin().workers().stream().filter(Worker::getHealthy).count() == workerCount);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    Path logs =
        ResultsTable.DIRECTORY
            .resolve("logs")
            .resolve(context.getRequiredTestClass().getSimpleName());
    try {
      Files.createDirectories(logs);
      gatewayChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      if (gateway != null) {
        gateway.close();
      }
      for (WorkerProcess worker : workers) {
        worker.close();
        copy(worker.log(), logs.resolve(worker.id() + ".log"));
      }
      if (controlPlaneChannel != null) {
        controlPlaneChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      if (controlPlane != null) {
        controlPlane.close();
      }
      copy(work.resolve("gateway.log"), logs.resolve("gateway.log"));
      copy(work.resolve("control-plane.log"), logs.resolve("control-plane.log"));
    } finally {
      if (postgres != null) {
        postgres.close();
      }
      deleteTree(work);
    }
  }

  /** Starts the control plane (again) at the same address; returns once its admin API answers. */
  void startControlPlane() throws IOException {
    controlPlane =
        ServiceProcess.controlPlane(
            postgres.getJdbcUrl("postgres", "postgres"),
            work.resolve("control-plane"),
            controlPlanePort,
            ControlPlaneNode.ADMIN_TOKEN,
            ControlPlaneNode.CLUSTER_TOKEN);
    if (controlPlaneChannel != null) {
      controlPlaneChannel.shutdownNow();
    }
    // A fresh channel: an old one may sit in its reconnect backoff for seconds.
    controlPlaneChannel =
        NettyChannelBuilder.forAddress("127.0.0.1", controlPlanePort).usePlaintext().build();
    await("the control plane's admin API")
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsInstanceOf(StatusRuntimeException.class)
        .until(
            () -> {
              if (!controlPlane.alive()) {
                throw new AssertionError("the control plane exited; see " + controlPlane.log());
              }
              admin().workers();
              return true;
            });
  }

  ServiceProcess controlPlane() {
    return controlPlane;
  }

  /** Starts the gateway (again) at the same address; returns once it listens. */
  void startGateway() throws IOException {
    gateway =
        ServiceProcess.gateway(
            "127.0.0.1:" + controlPlanePort,
            ControlPlaneNode.CLUSTER_TOKEN,
            gatewayPort,
            gatewayMetricsPort,
            gatewayHeap,
            usageReportSeconds,
            work.resolve("gateway-usage"),
            work.resolve("gateway.log"));
    await("the gateway's metrics endpoint")
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> !gatewayMetrics().isEmpty());
    gatewayChannel.resetConnectBackoff();
  }

  ServiceProcess gateway() {
    return gateway;
  }

  /** The channel to the gateway, the same across its restarts. */
  ManagedChannel gatewayChannel() {
    return gatewayChannel;
  }

  /** The gateway's Prometheus text. */
  String gatewayMetrics() throws IOException, InterruptedException {
    return scrape(gatewayMetricsPort);
  }

  /** Starts a worker process that registers as {@code id}, serving metrics on a port of its own. */
  WorkerProcess startWorker(String id) throws IOException {
    int metricsPort = EndToEndCluster.freePort();
    WorkerProcess worker =
        WorkerProcess.start(
            id,
            "127.0.0.1:" + controlPlanePort,
            ControlPlaneNode.CLUSTER_TOKEN,
            work.resolve(id + "-" + workers.size()),
            metricsPort);
    workers.add(worker);
    workerMetricsPorts.add(metricsPort);
    return worker;
  }

  List<WorkerProcess> workers() {
    return List.copyOf(workers);
  }

  /** The Prometheus text of the {@code index}th worker started. */
  String workerMetrics(int index) throws IOException, InterruptedException {
    return scrape(workerMetricsPorts.get(index));
  }

  /** Stops PostgreSQL (fast shutdown) and starts it again on the same data directory and port. */
  void restartPostgres() throws IOException {
    postgres.close();
    startPostgres();
  }

  /** The database, as the platform admin sees it. */
  DataSource database() {
    return postgres.getPostgresDatabase();
  }

  /** The control plane's data directory: artifacts, master key. */
  Path controlPlaneDataDir() {
    return work.resolve("control-plane");
  }

  /** The admin API as the platform admin, on the current control plane. */
  ClusterAdmin admin() {
    return new ClusterAdmin(adminChannel(), Device.DEVICE_CPU);
  }

  /** The control plane's channel with the admin token. */
  Channel adminChannel() {
    return Bearer.over(controlPlaneChannel, ControlPlaneNode.ADMIN_TOKEN);
  }

  /**
   * Starts PostgreSQL on its data directory, creating the cluster there the first time. Never with
   * a clean data directory: zonky deletes such a directory when it stops, and a restart must find
   * the data.
   */
  private void startPostgres() throws IOException {
    postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(work.resolve("postgres"))
            .setCleanDataDirectory(false)
            .setPort(postgresPort)
            .start();
  }

  private String scrape(int port) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("metrics at port " + port + " answered " + response.statusCode());
    }
    return response.body();
  }

  private static void copy(Path from, Path to) throws IOException {
    if (Files.exists(from)) {
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
