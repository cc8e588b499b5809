package dev.maas.standalone.e2e;

import static org.awaitility.Awaitility.await;

import dev.maas.gateway.Gateway;
import dev.maas.gateway.GatewayOptions;
import dev.maas.proto.admin.v1.Device;
import dev.maas.proto.admin.v1.Worker;
import dev.maas.proto.cluster.v1.RoutedModel;
import dev.maas.proto.cluster.v1.RoutedVersion;
import dev.maas.proto.cluster.v1.RoutingServiceGrpc;
import dev.maas.proto.cluster.v1.RoutingSnapshot;
import dev.maas.proto.cluster.v1.WatchRoutingRequest;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.maas.proto.inference.ModelReadyRequest;
import dev.maas.standalone.demo.Bearer;
import dev.maas.worker.runtime.SessionSettings;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small real cluster on loopback, once per test class: a fresh embedded PostgreSQL, the control
 * plane on it (stoppable and startable again at the same address), two worker processes from the
 * worker jar in cluster mode, and a gateway in this JVM that reports usage every 200 ms. A test
 * that leaves the control plane stopped gets it started again after it. The workers' logs are kept
 * in {@code target/e2e-logs/<test class>/}. Register it as a static field with
 * {@code @RegisterExtension}.
 */
public final class EndToEndCluster
    implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

  private static final Logger log = LoggerFactory.getLogger(EndToEndCluster.class);

  /** How long a model may take to be placed, loaded and routed. */
  public static final Duration SERVING_TIMEOUT = Duration.ofMinutes(2);

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> MODEL_ID =
      Metadata.Key.of("maas-model-id", Metadata.ASCII_STRING_MARSHALLER);

  private final List<WorkerProcess> workers = new ArrayList<>();
  private final Map<String, ManagedChannel> workerChannels = new ConcurrentHashMap<>();
  private final List<Gateway> extraGateways = new ArrayList<>();
  private final List<ManagedChannel> extraChannels = new ArrayList<>();
  private Path work;
  private EmbeddedPostgres postgres;
  private ControlPlaneNode controlPlane;
  private ManagedChannel controlPlaneChannel;
  private Gateway gateway;
  private ManagedChannel gatewayChannel;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    work = Files.createTempDirectory("maas-e2e");
    postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(work.resolve("postgres"))
            .setCleanDataDirectory(true)
            .start();
    controlPlane =
        new ControlPlaneNode(
            postgres.getJdbcUrl("postgres", "postgres"), work.resolve("control-plane"), freePort());
    startControlPlane();
    for (String id : List.of("e2e-worker-a", "e2e-worker-b")) {
      workers.add(
          WorkerProcess.start(
              id, controlPlane.target(), ControlPlaneNode.CLUSTER_TOKEN, work.resolve(id)));
    }
    gateway =
        Gateway.start(
            GatewayOptions.ephemeral(controlPlane.target(), ControlPlaneNode.CLUSTER_TOKEN)
                .withUsageReportInterval(Duration.ofMillis(200)));
    gatewayChannel = loopback(gateway.port());
    await("two healthy workers")
        .atMost(SERVING_TIMEOUT)
        .until(() -> admin().workers().stream().filter(Worker::getHealthy).count() == 2);
    await("the gateway's first snapshot").atMost(SERVING_TIMEOUT).until(gateway::hasSnapshot);
    log.info(
        "cluster up: control plane {}, workers {}, gateway port {}",
        controlPlane.target(),
        workers.stream().map(WorkerProcess::address).toList(),
        gateway.port());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!controlPlane.running()) {
      log.warn("{} left the control plane stopped; starting it", context.getDisplayName());
      startControlPlane();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (gatewayChannel != null) {
        gatewayChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      for (ManagedChannel channel : extraChannels) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      extraGateways.forEach(Gateway::close);
      for (ManagedChannel channel : workerChannels.values()) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      if (gateway != null) {
        gateway.close();
      }
      Path logs = Path.of("target", "e2e-logs", context.getRequiredTestClass().getSimpleName());
      Files.createDirectories(logs);
      for (WorkerProcess worker : workers) {
        worker.close();
        if (Files.exists(worker.log())) {
          Files.copy(
              worker.log(),
              logs.resolve(worker.id() + ".log"),
              StandardCopyOption.REPLACE_EXISTING);
        }
      }
      if (controlPlaneChannel != null) {
        controlPlaneChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      if (controlPlane != null) {
        controlPlane.close();
      }
    } finally {
      if (postgres != null) {
        postgres.close();
      }
      deleteTree(work);
    }
  }

  /** Stops the control plane gracefully; workers and the gateway go on without it. */
  public void stopControlPlane() throws InterruptedException {
    controlPlaneChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    controlPlane.stop();
  }

  /** Starts the control plane (again) at the same address, on the same database. */
  public void startControlPlane() {
    controlPlane.start();
    // A fresh channel: an old one may sit in its reconnect backoff for seconds.
    controlPlaneChannel = loopback(controlPlane.port());
  }

  /**
   * Starts one more worker process that registers as {@code id}; returns at once (it registers in
   * the background). It is stopped with the others after the test class.
   */
  public WorkerProcess addWorker(String id) throws IOException {
    WorkerProcess worker =
        WorkerProcess.start(
            id, controlPlane.target(), ControlPlaneNode.CLUSTER_TOKEN, work.resolve(id));
    workers.add(worker);
    return worker;
  }

  /** The channel to the gateway, without credentials. */
  public Channel gatewayChannel() {
    return gatewayChannel;
  }

  /** The admin API as the platform admin. */
  public ClusterAdmin admin() {
    Device device =
        SessionSettings.defaults().device() == SessionSettings.Device.GPU
            ? Device.DEVICE_GPU
            : Device.DEVICE_CPU;
    return new ClusterAdmin(Bearer.over(controlPlaneChannel, ControlPlaneNode.ADMIN_TOKEN), device);
  }

  /** The gateway, running in this JVM. */
  public Gateway gateway() {
    return gateway;
  }

  /** The worker processes, in the order they were started. */
  public List<WorkerProcess> workers() {
    return List.copyOf(workers);
  }

  /** An inference stub on the gateway that presents {@code key} as a bearer token. */
  public GRPCInferenceServiceBlockingStub gatewayAs(String key) {
    return GRPCInferenceServiceGrpc.newBlockingStub(Bearer.over(gatewayChannel, key))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  /** An inference stub on the gateway that sends {@code headers} as they are. */
  public GRPCInferenceServiceBlockingStub gatewayWith(Metadata headers) {
    return GRPCInferenceServiceGrpc.newBlockingStub(
            ClientInterceptors.intercept(
                gatewayChannel, MetadataUtils.newAttachHeadersInterceptor(headers)))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  /**
   * An inference stub straight to the worker at {@code address}, as the gateway calls it: the
   * cluster token and {@code maas-model-id}.
   */
  GRPCInferenceServiceBlockingStub workerStub(String address, String modelId) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + ControlPlaneNode.CLUSTER_TOKEN);
    headers.put(MODEL_ID, modelId);
    ManagedChannel channel =
        workerChannels.computeIfAbsent(
            address, target -> NettyChannelBuilder.forTarget(target).usePlaintext().build());
    return GRPCInferenceServiceGrpc.newBlockingStub(
            ClientInterceptors.intercept(
                channel, MetadataUtils.newAttachHeadersInterceptor(headers)))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  /** The control plane's current routing snapshot, read from its cluster API. */
  public RoutingSnapshot routing() {
    Channel cluster = Bearer.over(controlPlaneChannel, ControlPlaneNode.CLUSTER_TOKEN);
    try (Context.CancellableContext scope = Context.current().withCancellation()) {
      return scope.call(
          () ->
              RoutingServiceGrpc.newBlockingStub(cluster)
                  .withDeadlineAfter(30, TimeUnit.SECONDS)
                  .watchRouting(
                      WatchRoutingRequest.newBuilder().setGatewayId("e2e-observer").build())
                  .next());
    } catch (StatusRuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the routing snapshot", e);
    }
  }

  /** A version of a tenant's model as the control plane routes it now. */
  public RoutedVersion routedVersion(String tenant, String model, long version) {
    return routing().getModelsList().stream()
        .filter(m -> m.getTenant().equals(tenant) && m.getName().equals(model))
        .map(RoutedModel::getVersionsList)
        .flatMap(List::stream)
        .filter(v -> v.getVersion() == version)
        .findFirst()
        .orElse(RoutedVersion.getDefaultInstance());
  }

  /**
   * Waits until the gateway, asked as {@code key}, says {@code model} (at {@code version}, or the
   * version a call would get when empty) has a serving replica.
   */
  public void awaitServing(String key, String model, String version) {
    await(model + " serving through the gateway")
        .atMost(SERVING_TIMEOUT)
        .ignoreExceptionsMatching(
            e ->
                e instanceof StatusRuntimeException s
                    && (s.getStatus().getCode() == Status.Code.UNAUTHENTICATED
                        || s.getStatus().getCode() == Status.Code.UNAVAILABLE))
        .until(
            () ->
                gatewayAs(key)
                    .modelReady(
                        ModelReadyRequest.newBuilder().setName(model).setVersion(version).build())
                    .getReady());
  }

  /**
   * Starts another gateway on this cluster, with the fixture gateway's options as {@code options}
   * changes them (a replicas hint, say); it runs until the class ends. Returns once it has its
   * first routing snapshot.
   */
  public Gateway startGateway(UnaryOperator<GatewayOptions> options) throws IOException {
    Gateway extra =
        Gateway.start(
            options.apply(
                GatewayOptions.ephemeral(controlPlane.target(), ControlPlaneNode.CLUSTER_TOKEN)
                    .withUsageReportInterval(Duration.ofMillis(200))));
    extraGateways.add(extra);
    await("the new gateway's first snapshot").atMost(SERVING_TIMEOUT).until(extra::hasSnapshot);
    return extra;
  }

  /** A plaintext channel to {@code gateway} on loopback, closed when the class ends. */
  public ManagedChannel channelTo(Gateway gateway) {
    ManagedChannel channel = loopback(gateway.port());
    extraChannels.add(channel);
    return channel;
  }

  /** The channel to the control plane now (a new one after a restart), without credentials. */
  public Channel controlPlaneChannel() {
    return controlPlaneChannel;
  }

  /** The JDBC URL of the cluster's PostgreSQL database (user {@code postgres}, no password). */
  public String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  /**
   * The cluster's working directory: {@code postgres/} (the database's files), {@code
   * control-plane/} (artifacts, uploads, generated secrets) and one directory per worker (its model
   * cache and log).
   */
  public Path workDirectory() {
    return work;
  }

  /** The workers' log files (their stdout and stderr). */
  public List<Path> workerLogs() {
    return workers.stream().map(WorkerProcess::log).toList();
  }

  /** A free port on the loopback interface. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  private static ManagedChannel loopback(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
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
