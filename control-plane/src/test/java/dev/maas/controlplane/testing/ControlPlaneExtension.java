package dev.maas.controlplane.testing;

import dev.maas.controlplane.grpc.GrpcServer;
import dev.maas.proto.admin.v1.ApiKeyServiceGrpc;
import dev.maas.proto.admin.v1.CreateApiKeyRequest;
import dev.maas.proto.admin.v1.CreateTenantRequest;
import dev.maas.proto.admin.v1.Scope;
import dev.maas.proto.admin.v1.TenantServiceGrpc;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a real control plane (Micronaut context, gRPC on an ephemeral port over Netty) on a fresh
 * PostgreSQL database, once per test class. Register it as a static field with
 * {@code @RegisterExtension}.
 */
public final class ControlPlaneExtension implements BeforeAllCallback, AfterAllCallback {

  /** The admin token of the test control plane. */
  public static final String ADMIN_TOKEN = "test-admin-token-0123456789";

  /** The cluster token of the test control plane. */
  public static final String CLUSTER_TOKEN = "test-cluster-token-0123456789";

  private final Map<String, Object> extraProperties = new HashMap<>();
  private final ControlPlaneExtension databaseOwner;
  private String jdbcUrl;
  private Path dataDir;
  private ApplicationContext context;
  private ManagedChannel channel;

  /** A control plane on a database of its own. */
  public ControlPlaneExtension() {
    this(null);
  }

  private ControlPlaneExtension(ControlPlaneExtension databaseOwner) {
    this.databaseOwner = databaseOwner;
  }

  /**
   * A second replica on the database of {@code first}, which must be registered (and so started)
   * before it.
   */
  public static ControlPlaneExtension replicaOf(ControlPlaneExtension first) {
    return new ControlPlaneExtension(first);
  }

  /** Adds a configuration property to the control plane under test. */
  public ControlPlaneExtension with(String key, Object value) {
    extraProperties.put(key, value);
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext extension) throws IOException {
    jdbcUrl = databaseOwner == null ? TestPostgres.newDatabase() : databaseOwner.jdbcUrl;
    dataDir =
        databaseOwner == null
            ? Files.createTempDirectory("maas-control-plane")
            : databaseOwner.dataDir;
    start();
  }

  /** Starts (or starts again, on the same database and data) the control plane. */
  public void start() {
    Map<String, Object> properties = new HashMap<>();
    properties.put("maas.db.url", jdbcUrl);
    properties.put("maas.db.user", "postgres");
    properties.put("maas.db.password", "postgres");
    properties.put("maas.data-dir", dataDir.toString());
    properties.put("maas.grpc-port", 0);
    properties.put("maas.admin-token", ADMIN_TOKEN);
    properties.put("maas.cluster-token", CLUSTER_TOKEN);
    properties.put("micronaut.server.port", -1);
    properties.putAll(extraProperties);
    context = ApplicationContext.run(properties);
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", context.getBean(GrpcServer.class).port())
            .usePlaintext()
            .build();
  }

  /** Stops the control plane, keeping its database and data directory. */
  public void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    context.close();
  }

  @Override
  public void afterAll(ExtensionContext extension) throws InterruptedException {
    stop();
  }

  /** The Micronaut context, for beans under test. */
  public ApplicationContext context() {
    return context;
  }

  /** The gRPC port the control plane listens on. */
  public int grpcPort() {
    return context.getBean(GrpcServer.class).port();
  }

  /** The data directory. */
  public Path dataDir() {
    return dataDir;
  }

  /** A new connection to the test database, for checks the API does not expose. */
  public Connection sql() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
  }

  /** A channel that presents {@code credential} as a bearer token; null presents nothing. */
  public Channel as(String credential) {
    if (credential == null) {
      return channel;
    }
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + credential);
    return ClientInterceptors.intercept(
        channel, MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** A channel with the cluster token, as workers and gateways call. */
  public Channel cluster() {
    return as(CLUSTER_TOKEN);
  }

  /** A channel with the admin token. */
  public Channel admin() {
    return as(ADMIN_TOKEN);
  }

  /** Creates a tenant as the admin. */
  public void createTenant(String name) {
    TenantServiceGrpc.newBlockingStub(admin())
        .createTenant(CreateTenantRequest.newBuilder().setName(name).build());
  }

  /** Creates a key of {@code tenant} with {@code scopes} as the admin and returns its text. */
  public String createKey(String tenant, Scope... scopes) {
    return ApiKeyServiceGrpc.newBlockingStub(admin())
        .createApiKey(
            CreateApiKeyRequest.newBuilder()
                .setTenant(tenant)
                .addAllScopes(List.of(scopes))
                .build())
        .getSecret();
  }
}
