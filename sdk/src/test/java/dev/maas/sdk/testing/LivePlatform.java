package dev.maas.sdk.testing;

import static org.awaitility.Awaitility.await;

import dev.maas.controlplane.grpc.GrpcServer;
import dev.maas.gateway.Gateway;
import dev.maas.gateway.GatewayOptions;
import dev.maas.sdk.MaasAdminClient;
import dev.maas.sdk.MaasClient;
import dev.maas.sdk.admin.Deployment;
import dev.maas.sdk.admin.Scope;
import dev.maas.sdk.admin.UploadProgress;
import dev.maas.sdk.admin.UploadResult;
import dev.maas.sdk.admin.VersionState;
import dev.maas.worker.Worker;
import dev.maas.worker.WorkerOptions;
import dev.maas.worker.cluster.ClusterOptions;
import dev.maas.worker.cluster.ClusterToken;
import dev.maas.worker.demo.DemoModels;
import dev.maas.worker.runtime.SessionSettings;
import io.micronaut.context.ApplicationContext;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A whole maas platform in the test JVM: a real control plane (Micronaut, on an embedded
 * PostgreSQL), one real worker in cluster mode (TensorFlow) and a real gateway, all on ephemeral
 * ports, plus the demo SavedModels to upload. Started once per JVM by {@link
 * LivePlatformExtension}; tests make their own tenants with {@link #newTenant(String)} so they do
 * not disturb each other.
 */
public final class LivePlatform implements AutoCloseable {

  /** The platform admin token. */
  public static final String ADMIN_TOKEN = "sdk-test-admin-token-0123456789";

  /** The cluster token between the services. */
  public static final String CLUSTER_TOKEN = "sdk-test-cluster-token-0123456789";

  private static final AtomicInteger NAMES = new AtomicInteger();

  private final EmbeddedPostgres postgres;
  private final ApplicationContext controlPlane;
  private final Worker worker;
  private final Gateway gateway;
  private final Path work;
  private final MaasAdminClient admin;

  private LivePlatform(
      EmbeddedPostgres postgres,
      ApplicationContext controlPlane,
      Worker worker,
      Gateway gateway,
      Path work) {
    this.postgres = postgres;
    this.controlPlane = controlPlane;
    this.worker = worker;
    this.gateway = gateway;
    this.work = work;
    this.admin = MaasAdminClient.builder().target(adminTarget()).token(ADMIN_TOKEN).build();
  }

  /** Starts the platform and exports the demo models; takes some seconds. */
  public static LivePlatform start() throws Exception {
    Path work = Files.createTempDirectory("maas-sdk-platform");
    exportDemoModels(work.resolve("demo"));
    EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
    String jdbcUrl = createDatabase(postgres);
    Map<String, Object> properties = new HashMap<>();
    properties.put("maas.db.url", jdbcUrl);
    properties.put("maas.db.user", "postgres");
    properties.put("maas.db.password", "postgres");
    properties.put("maas.data-dir", work.resolve("control-plane").toString());
    properties.put("maas.grpc-port", 0);
    properties.put("maas.admin-token", ADMIN_TOKEN);
    properties.put("maas.cluster-token", CLUSTER_TOKEN);
    properties.put("maas.cluster.reconcile-interval-ms", 250);
    properties.put("micronaut.server.port", -1);
    ApplicationContext controlPlane = ApplicationContext.run(properties);
    String controlPlaneTarget = "127.0.0.1:" + controlPlane.getBean(GrpcServer.class).port();
    int workerPort = freePort();
    Worker worker =
        Worker.start(
            new WorkerOptions(
                    work.resolve("worker"),
                    workerPort,
                    -1,
                    Duration.ofMillis(200),
                    SessionSettings.defaults(),
                    WorkerOptions.DEFAULT_MAX_MESSAGE_BYTES,
                    Duration.ofSeconds(2))
                .withCluster(
                    new ClusterOptions(
                        controlPlaneTarget,
                        "127.0.0.1:" + workerPort,
                        "sdk-test-worker",
                        64,
                        ClusterToken.of(CLUSTER_TOKEN))));
    Gateway gateway = Gateway.start(GatewayOptions.ephemeral(controlPlaneTarget, CLUSTER_TOKEN));
    return new LivePlatform(postgres, controlPlane, worker, gateway, work);
  }

  private static void exportDemoModels(Path demo) {
    DemoModels.exportAffine(demo.resolve("affine"), 2f, 1f);
    DemoModels.exportAffine(demo.resolve("affine3"), 3f, 1f);
    DemoModels.exportLenet(demo.resolve("lenet"));
    DemoModels.exportStrings(demo.resolve("strings"));
  }

  private static String createDatabase(EmbeddedPostgres postgres) throws SQLException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("create database maas_sdk_test");
    }
    return postgres.getJdbcUrl("postgres", "maas_sdk_test");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The control plane's admin API, as a gRPC target. */
  public String adminTarget() {
    return "127.0.0.1:" + controlPlane.getBean(GrpcServer.class).port();
  }

  /** The gateway, as a gRPC target. */
  public String gatewayTarget() {
    return "127.0.0.1:" + gateway.port();
  }

  /**
   * A demo SavedModel directory: {@code affine} (y = 2x + 1), {@code affine3} (y = 3x + 1), {@code
   * lenet} or {@code strings}.
   */
  public Path demoModel(String name) {
    return work.resolve("demo").resolve(name);
  }

  /** A scratch directory of the platform's. */
  public Path scratch(String name) {
    try {
      return Files.createDirectories(work.resolve("scratch").resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An admin client with the admin token, shared (do not close it). */
  public MaasAdminClient admin() {
    return admin;
  }

  /** A new inference client on the gateway with {@code apiKey}; the caller closes it. */
  public MaasClient inference(String apiKey) {
    return MaasClient.builder().target(gatewayTarget()).apiKey(apiKey).build();
  }

  /** A new tenant with a unique name, an infer key and a manage key. */
  public TestTenant newTenant(String prefix) {
    String name = prefix + "-" + NAMES.incrementAndGet();
    admin.tenants().create(name, "test tenant " + name);
    String infer = admin.apiKeys().create(name, List.of(Scope.INFER), "infer", null).secret();
    String manage = admin.apiKeys().create(name, List.of(Scope.MANAGE), "manage", null).secret();
    return new TestTenant(name, infer, manage);
  }

  /**
   * Creates {@code model} in the tenant (unless it exists), uploads the demo model {@code demo} as
   * its next version, deploys that version with one replica, and waits until the gateway serves it
   * to the tenant's infer key.
   *
   * @return the version deployed
   */
  public long deploy(TestTenant tenant, String model, String demo) {
    if (admin.models().list(tenant.name()).stream().noneMatch(m -> m.name().equals(model))) {
      admin.models().create(tenant.name(), model, "demo " + demo);
    }
    UploadResult upload =
        admin.models().upload(tenant.name(), model, demoModel(demo), UploadProgress.NONE);
    if (upload.version().state() != VersionState.READY) {
      throw new IllegalStateException("upload of " + demo + " failed: " + upload.version());
    }
    long version = upload.version().version();
    admin.deployments().set(Deployment.builder(tenant.name(), model, version).replicas(1).build());
    awaitServing(tenant, model, version);
    return version;
  }

  /** Waits until the gateway serves that version of the model to the tenant's infer key. */
  public void awaitServing(TestTenant tenant, String model, long version) {
    try (MaasClient client = inference(tenant.inferKey())) {
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(() -> client.isModelReady(model, Long.toString(version)));
    }
  }

  /** Stops the gateway, the worker, the control plane and the database. */
  @Override
  public void close() throws IOException {
    admin.close();
    gateway.close();
    worker.close();
    controlPlane.close();
    postgres.close();
  }
}
