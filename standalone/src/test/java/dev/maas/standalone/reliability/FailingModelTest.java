package dev.maas.standalone.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.maas.controlplane.grpc.GrpcServer;
import dev.maas.gateway.Gateway;
import dev.maas.gateway.GatewayOptions;
import dev.maas.proto.admin.v1.ApiKeyServiceGrpc;
import dev.maas.proto.admin.v1.CreateApiKeyRequest;
import dev.maas.proto.admin.v1.CreateModelRequest;
import dev.maas.proto.admin.v1.CreateTenantRequest;
import dev.maas.proto.admin.v1.Deployment;
import dev.maas.proto.admin.v1.DeploymentServiceGrpc;
import dev.maas.proto.admin.v1.Device;
import dev.maas.proto.admin.v1.GetDeploymentRequest;
import dev.maas.proto.admin.v1.GetVersionRequest;
import dev.maas.proto.admin.v1.ListWorkersRequest;
import dev.maas.proto.admin.v1.ModelServiceGrpc;
import dev.maas.proto.admin.v1.ModelVersion;
import dev.maas.proto.admin.v1.Quota;
import dev.maas.proto.admin.v1.QuotaServiceGrpc;
import dev.maas.proto.admin.v1.ReplicaState;
import dev.maas.proto.admin.v1.ReplicaStatus;
import dev.maas.proto.admin.v1.Scope;
import dev.maas.proto.admin.v1.SetDeploymentRequest;
import dev.maas.proto.admin.v1.SetQuotaRequest;
import dev.maas.proto.admin.v1.TenantServiceGrpc;
import dev.maas.proto.admin.v1.TrafficSplit;
import dev.maas.proto.admin.v1.VersionState;
import dev.maas.proto.admin.v1.Worker;
import dev.maas.proto.admin.v1.WorkerServiceGrpc;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.ModelReadyRequest;
import dev.maas.proto.inference.ModelStatisticsRequest;
import dev.maas.proto.inference.RepositoryIndexRequest;
import dev.maas.proto.inference.RepositoryIndexResponse.ModelIndex;
import dev.maas.standalone.demo.Bearer;
import dev.maas.standalone.demo.SavedModelArchive;
import dev.maas.standalone.demo.VersionUploader;
import dev.maas.standalone.testing.Tensors;
import dev.maas.worker.demo.DemoModels;
import dev.maas.worker.runtime.SessionSettings;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micronaut.context.ApplicationContext;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat16;

/**
 * Model versions that fail, on a real cluster: the control plane on PostgreSQL, a worker process
 * started from the worker jar, the gateway on loopback. A version the control plane can tell is
 * broken (a corrupt graph, an input type no worker serves) is FAILED at upload with its reason and
 * cannot be deployed; a version that passes the upload checks but fails to load on the worker (its
 * variables are missing) is never routed to, its placement is FAILED with the reason, and the
 * version that served before answers every call throughout. Health and ModelReady never call a
 * version that cannot answer ready.
 */
class FailingModelTest {

  private static final Logger log = LoggerFactory.getLogger(FailingModelTest.class);

  private static final String ADMIN_TOKEN = "failing-admin-token-0123456789abcdef";
  private static final String CLUSTER_TOKEN = "failing-cluster-token-0123456789abcdef";
  private static final Duration SERVING_TIMEOUT = Duration.ofMinutes(2);
  private static final String TENANT = "faults";
  private static final String MODEL = "affine";
  private static final int CLIENTS = 2;

  private static Path work;
  private static EmbeddedPostgres postgres;
  private static ApplicationContext controlPlane;
  private static Process workerProcess;
  private static int workerPort;
  private static Gateway gateway;
  private static ManagedChannel controlPlaneChannel;
  private static ManagedChannel gatewayChannel;
  private static ManagedChannel workerChannel;
  private static String key;

  @BeforeAll
  static void startCluster() throws Exception {
    work = Files.createTempDirectory("maas-failing-model");
    postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(work.resolve("postgres"))
            .setCleanDataDirectory(true)
            .start();
    int controlPlanePort = freePort();
    Map<String, Object> properties = new HashMap<>();
    properties.put("maas.db.url", postgres.getJdbcUrl("postgres", "postgres"));
    properties.put("maas.db.user", "postgres");
    properties.put("maas.data-dir", work.resolve("control-plane").toString());
    properties.put("maas.grpc-port", controlPlanePort);
    properties.put("maas.admin-token", ADMIN_TOKEN);
    properties.put("maas.cluster-token", CLUSTER_TOKEN);
    properties.put("micronaut.server.port", -1);
    properties.put("maas.cluster.heartbeat-interval-ms", 300);
    properties.put("maas.cluster.heartbeat-timeout-ms", 1500);
    properties.put("maas.cluster.reconcile-interval-ms", 250);
    controlPlane =
        ApplicationContext.builder().properties(properties).deduceEnvironment(false).start();
    assertThat(controlPlane.getBean(GrpcServer.class).port()).isEqualTo(controlPlanePort);
    String target = "127.0.0.1:" + controlPlanePort;
    workerPort = freePort();
    workerProcess = startWorker(target, workerPort, work.resolve("worker"));
    gateway = Gateway.start(GatewayOptions.ephemeral(target, CLUSTER_TOKEN));
    controlPlaneChannel = loopback(controlPlanePort);
    gatewayChannel = loopback(gateway.port());
    workerChannel = loopback(workerPort);
    await("a healthy worker")
        .atMost(SERVING_TIMEOUT)
        .until(
            () ->
                WorkerServiceGrpc.newBlockingStub(admin())
                    .listWorkers(ListWorkersRequest.getDefaultInstance())
                    .getWorkersList()
                    .stream()
                    .anyMatch(Worker::getHealthy));

    TenantServiceGrpc.newBlockingStub(admin())
        .createTenant(CreateTenantRequest.newBuilder().setName(TENANT).build());
    // The clients call as fast as they can; the default rate quota would refuse most of it.
    QuotaServiceGrpc.newBlockingStub(admin())
        .setQuota(
            SetQuotaRequest.newBuilder()
                .setTenant(TENANT)
                .setQuota(Quota.newBuilder().setRequestsPerSecond(1_000_000).setBurst(1_000_000))
                .build());
    key =
        ApiKeyServiceGrpc.newBlockingStub(admin())
            .createApiKey(
                CreateApiKeyRequest.newBuilder()
                    .setTenant(TENANT)
                    .addScopes(Scope.SCOPE_INFER)
                    .build())
            .getSecret();
    ModelServiceGrpc.newBlockingStub(admin())
        .createModel(CreateModelRequest.newBuilder().setTenant(TENANT).setName(MODEL).build());
    ModelVersion first =
        upload(SavedModelArchive.export(dir -> DemoModels.exportAffine(dir, 2f, 1f)));
    assertThat(first.getState()).isEqualTo(VersionState.VERSION_STATE_READY);
    deploy(first.getVersion(), Map.of());
    await("version 1 serving through the gateway")
        .atMost(SERVING_TIMEOUT)
        .ignoreExceptionsMatching(e -> e instanceof StatusRuntimeException)
        .until(() -> ready(MODEL, ""));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (ManagedChannel channel :
        new ManagedChannel[] {gatewayChannel, controlPlaneChannel, workerChannel}) {
      if (channel != null) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
    if (gateway != null) {
      gateway.close();
    }
    if (workerProcess != null) {
      workerProcess.destroy();
      if (!workerProcess.waitFor(20, TimeUnit.SECONDS)) {
        workerProcess.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      Path logs = Path.of("target", "e2e-logs", FailingModelTest.class.getSimpleName());
      Files.createDirectories(logs);
      Path log = work.resolve("worker").resolve("worker.log");
      if (Files.exists(log)) {
        Files.copy(log, logs.resolve("worker.log"), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
    if (postgres != null) {
      postgres.close();
    }
    deleteTree(work);
  }

  @Test
  void brokenVersions_areFailedWithTheirReason_neverServe_andTheServingVersionAnswersThroughout()
      throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    AtomicBoolean running = new AtomicBoolean(true);
    List<Future<int[]>> load = new ArrayList<>();
    long ranOnVersionOneBefore = successes(servingModelId(1));
    for (int c = 0; c < CLIENTS; c++) {
      int seed = c;
      load.add(clients.submit(() -> callUntilStopped(running, new Random(seed))));
    }
    try {
      // Caught at upload: the graph does not parse.
      ModelVersion corrupt = upload(SavedModelArchive.export(FailingModelTest::writeCorruptGraph));
      assertFailedAtUpload(corrupt, "saved_model.pb");

      // Caught at upload: the graph parses but its input has a type no worker serves.
      ModelVersion half = upload(SavedModelArchive.export(FailingModelTest::exportHalfPrecision));
      assertFailedAtUpload(half, "x");

      // Passes the upload checks (the graph and its signature are fine) but cannot load: its
      // variables are missing. Deployed as a canary beside version 1.
      ModelVersion unloadable =
          upload(SavedModelArchive.export(FailingModelTest::exportWithoutVariables));
      assertThat(unloadable.getState()).isEqualTo(VersionState.VERSION_STATE_READY);
      long v = unloadable.getVersion();
      deploy(1, Map.of(1L, 50, v, 50));

      String placementReason = awaitFailedPlacement(v);
      assertThat(placementReason).contains("uninitialized value");
      ModelIndex onWorker = workerIndexEntry(v);
      assertThat(onWorker.getState()).isEqualTo("UNAVAILABLE");
      assertThat(onWorker.getReason()).contains("uninitialized value");
      assertThat(workerHealth(onWorker.getName())).isEqualTo(ServingStatus.NOT_SERVING);
      assertThat(workerHealth(servingModelId(1))).isEqualTo(ServingStatus.SERVING);
      assertThat(ready(MODEL, Long.toString(v))).isFalse();
      assertThat(ready(MODEL, "")).isTrue();
      StatusRuntimeException pinned =
          catchThrowableOfType(
              StatusRuntimeException.class,
              () -> gatewayStub().modelInfer(request(Long.toString(v), 1f)));
      assertThat(pinned.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      log.info(
          "version {} (variables missing): READY at upload, placement FAILED: {}; worker state {};"
              + " a call naming it: {} {}",
          v,
          placementReason,
          onWorker.getState(),
          pinned.getStatus().getCode(),
          pinned.getStatus().getDescription());
      // Keep the canary deployed a while longer under load, so a share routed to it would show.
      long canaryStart = successes(servingModelId(1));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> successes(servingModelId(1)) > canaryStart + 200);

      // The same version made the default: it never serves, so version 1, which the control
      // plane keeps placed until the new default serves, keeps answering calls without a version.
      deploy(v, Map.of());
      long switchStart = successes(servingModelId(1));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> successes(servingModelId(1)) > switchStart + 200);
      assertThat(ready(MODEL, "")).isTrue();
      List<ReplicaStatus> replicas = replicas();
      log.info("default switched to version {}; replicas: {}", v, replicas);
      assertThat(replicas)
          .anySatisfy(
              r -> {
                assertThat(r.getVersion()).isEqualTo(1);
                assertThat(r.getState()).isEqualTo(ReplicaState.REPLICA_STATE_SERVING);
              })
          .anySatisfy(
              r -> {
                assertThat(r.getVersion()).isEqualTo(v);
                assertThat(r.getState()).isEqualTo(ReplicaState.REPLICA_STATE_FAILED);
                assertThat(r.getReason()).isEqualTo(placementReason);
              });
    } finally {
      running.set(false);
      clients.shutdown();
    }
    int ok = 0;
    int failed = 0;
    for (Future<int[]> client : load) {
      int[] counts = client.get(1, TimeUnit.MINUTES);
      ok += counts[0];
      failed += counts[1];
    }
    long ranOnVersionOne = successes(servingModelId(1)) - ranOnVersionOneBefore;
    log.info(
        "{} clients through 3 broken versions, a canary and a default switch that cannot load:"
            + " {} calls answered by version 1, {} failed; version 1's worker counted {} successes",
        CLIENTS,
        ok,
        failed,
        ranOnVersionOne);
    assertThat(failed).isZero();
    assertThat(ranOnVersionOne).as("calls version 1 ran: all of them").isEqualTo(ok);
  }

  private static void assertFailedAtUpload(ModelVersion version, String reasonFragment) {
    assertThat(version.getState()).isEqualTo(VersionState.VERSION_STATE_FAILED);
    assertThat(version.getReason()).contains(reasonFragment);
    ModelVersion stored =
        ModelServiceGrpc.newBlockingStub(admin())
            .getVersion(
                GetVersionRequest.newBuilder()
                    .setTenant(TENANT)
                    .setModel(MODEL)
                    .setVersion(version.getVersion())
                    .build())
            .getVersion();
    assertThat(stored.getState()).isEqualTo(VersionState.VERSION_STATE_FAILED);
    assertThat(stored.getReason()).isEqualTo(version.getReason());
    StatusRuntimeException refused =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> deploy(1, Map.of(1L, 50, version.getVersion(), 50)));
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(refused.getStatus().getDescription()).contains("FAILED");
    log.info(
        "version {}: FAILED at upload ({}); deploying it: {} {}",
        version.getVersion(),
        version.getReason(),
        refused.getStatus().getCode(),
        refused.getStatus().getDescription());
  }

  /** Calls the model without a version until stopped; counts right answers and failures. */
  private static int[] callUntilStopped(AtomicBoolean running, Random random) {
    int ok = 0;
    int failed = 0;
    while (running.get()) {
      float x = random.nextInt(1000) / 8f;
      try {
        ModelInferResponse response = gatewayStub().modelInfer(request("", x));
        float y = 2 * x + 1;
        if (Tensors.output(response, "y").equals(List.of(y, y, y, y))) {
          ok++;
        } else {
          failed++;
        }
      } catch (StatusRuntimeException e) {
        log.warn("call failed: {}", e.getStatus());
        failed++;
      }
    }
    return new int[] {ok, failed};
  }

  private static ModelInferRequest request(String version, float x) {
    return Tensors.affine(MODEL, version, x, x, x, x);
  }

  /** Waits for the worker to report the version's placement FAILED; returns the reason. */
  private static String awaitFailedPlacement(long version) {
    return await("placement of version " + version + " FAILED")
        .atMost(SERVING_TIMEOUT)
        .until(() -> placement(version), p -> p.startsWith("FAILED:"))
        .substring("FAILED:".length());
  }

  /** The state and reason of the version's placement, as {@code STATE:reason}, or empty. */
  private static String placement(long version) throws Exception {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "select state, reason from placements where version = " + version)) {
      return rows.next() ? rows.getString(1) + ":" + rows.getString(2) : "";
    }
  }

  private static ModelIndex workerIndexEntry(long version) {
    return workerStub()
        .repositoryIndex(RepositoryIndexRequest.getDefaultInstance())
        .getModelsList()
        .stream()
        .filter(m -> m.getName().endsWith("-v" + version))
        .findFirst()
        .orElseThrow();
  }

  /** The internal model id the worker serves version {@code version} under. */
  private static String servingModelId(long version) {
    return workerIndexEntry(version).getName();
  }

  /** Successful calls the worker counted on a model id. */
  private static long successes(String modelId) {
    return workerStub()
        .modelStatistics(ModelStatisticsRequest.newBuilder().setName(modelId).build())
        .getModelStatsList()
        .stream()
        .mapToLong(s -> s.getInferenceStats().getSuccess().getCount())
        .sum();
  }

  private static ServingStatus workerHealth(String modelId) {
    return HealthGrpc.newBlockingStub(workerChannel)
        .check(HealthCheckRequest.newBuilder().setService(modelId).build())
        .getStatus();
  }

  private static boolean ready(String model, String version) {
    return gatewayStub()
        .modelReady(ModelReadyRequest.newBuilder().setName(model).setVersion(version).build())
        .getReady();
  }

  private static ModelVersion upload(SavedModelArchive archive) {
    return new VersionUploader(admin()).upload(TENANT, MODEL, archive);
  }

  private static void deploy(long defaultVersion, Map<Long, Integer> split) {
    Deployment.Builder deployment =
        Deployment.newBuilder()
            .setTenant(TENANT)
            .setModel(MODEL)
            .setDefaultVersion(defaultVersion)
            .setMinReplicas(1)
            .setDevice(
                SessionSettings.defaults().device() == SessionSettings.Device.GPU
                    ? Device.DEVICE_GPU
                    : Device.DEVICE_CPU);
    split.forEach(
        (version, percent) ->
            deployment.addTrafficSplit(
                TrafficSplit.newBuilder().setVersion(version).setPercent(percent)));
    DeploymentServiceGrpc.newBlockingStub(admin())
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .setDeployment(SetDeploymentRequest.newBuilder().setDeployment(deployment).build());
  }

  private static List<ReplicaStatus> replicas() {
    return DeploymentServiceGrpc.newBlockingStub(admin())
        .getDeployment(GetDeploymentRequest.newBuilder().setTenant(TENANT).setModel(MODEL).build())
        .getDeployment()
        .getReplicasList();
  }

  private static io.grpc.Channel admin() {
    return Bearer.over(controlPlaneChannel, ADMIN_TOKEN);
  }

  private static GRPCInferenceServiceBlockingStub gatewayStub() {
    return GRPCInferenceServiceGrpc.newBlockingStub(Bearer.over(gatewayChannel, key))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static GRPCInferenceServiceBlockingStub workerStub() {
    return GRPCInferenceServiceGrpc.newBlockingStub(Bearer.over(workerChannel, CLUSTER_TOKEN))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static void writeCorruptGraph(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(
          dir.resolve("saved_model.pb"), "this is not a protobuf", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code y = 3x + 1} without its variables directory: the graph is fine, restoring is not. */
  private static void exportWithoutVariables(Path dir) {
    DemoModels.exportAffine(dir, 3f, 1f);
    deleteTreeQuietly(dir.resolve("variables"));
  }

  /** {@code y = x + x} over an FP16 input, a type no worker serves. */
  private static void exportHalfPrecision(Path dir) {
    try (Graph g = new Graph();
        Session session = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat16> x =
          tf.withName("x").placeholder(TFloat16.class, Placeholder.shape(Shape.of(-1, 4)));
      Signature signature =
          Signature.builder()
              .key(DemoModels.SERVING_SIGNATURE)
              .input("x", x)
              .output("y", tf.withName("y").math.add(x, x))
              .build();
      session.initialize();
      SavedModelBundle.exporter(dir.toString())
          .withTags(DemoModels.SERVING_TAG)
          .withSession(session)
          .withSignature(signature)
          .export();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Process startWorker(String controlPlane, int port, Path dir) throws IOException {
    Path jar = Path.of("..", "worker", "target", "maas-worker.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: package the worker module first");
    }
    Files.createDirectories(dir);
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx384m",
            "-jar",
            jar.toString(),
            "--control-plane",
            controlPlane,
            "--worker-id",
            "failing-model-worker",
            "--port",
            Integer.toString(port),
            "--advertise-address",
            "127.0.0.1:" + port,
            "--metrics-port",
            "-1",
            "--slots",
            "8",
            "--intra-op-threads",
            "1",
            "--inter-op-threads",
            "1",
            "--shutdown-grace-seconds",
            "2",
            "--cache-dir",
            dir.resolve("cache").toString());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("worker.log").toFile());
    builder.environment().put("MAAS_CLUSTER_TOKEN", CLUSTER_TOKEN);
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    return builder.start();
  }

  private static int freePort() {
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

  private static void deleteTreeQuietly(Path root) {
    try {
      deleteTree(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
