package dev.maas.sdk;

import dev.maas.proto.admin.v1.ApiKeyServiceGrpc;
import dev.maas.proto.admin.v1.AuditServiceGrpc;
import dev.maas.proto.admin.v1.DeploymentServiceGrpc;
import dev.maas.proto.admin.v1.ModelServiceGrpc;
import dev.maas.proto.admin.v1.QuotaServiceGrpc;
import dev.maas.proto.admin.v1.TenantServiceGrpc;
import dev.maas.proto.admin.v1.UsageServiceGrpc;
import dev.maas.proto.admin.v1.WorkerServiceGrpc;
import dev.maas.sdk.admin.ApiKeys;
import dev.maas.sdk.admin.AuditLog;
import dev.maas.sdk.admin.Deployments;
import dev.maas.sdk.admin.Models;
import dev.maas.sdk.admin.Quotas;
import dev.maas.sdk.admin.Tenants;
import dev.maas.sdk.admin.Usage;
import dev.maas.sdk.admin.Workers;
import dev.maas.sdk.internal.AdminCalls;
import dev.maas.sdk.internal.ChannelFactory;
import dev.maas.sdk.internal.ConnectionSettings;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;

/**
 * Administers a maas platform through the control plane's admin API ({@code maas.admin.v1}) with
 * the platform admin token or a tenant's {@code manage} key.
 *
 * <pre>{@code
 * try (MaasAdminClient admin =
 *     MaasAdminClient.builder().target("localhost:7001").token(adminToken).build()) {
 *   admin.tenants().create("acme", "Acme Corp");
 *   CreatedApiKey key = admin.apiKeys().create("acme", List.of(Scope.INFER), "app", null);
 *   admin.models().create("acme", "lenet", "digits");
 *   UploadResult upload = admin.models().upload("acme", "lenet", Path.of("lenet/1"), UploadProgress.NONE);
 *   admin.deployments().set(Deployment.builder("acme", "lenet", upload.version().version()).build());
 * }
 * }</pre>
 *
 * <p>Thread-safe; close it when done. Failures are {@link MaasException}s with the call's gRPC
 * code; unary calls failing with UNAVAILABLE are retried by the {@link RetryPolicy} (uploads are
 * not).
 */
public final class MaasAdminClient implements AutoCloseable {

  private static final List<String> SERVICES =
      List.of(
          TenantServiceGrpc.SERVICE_NAME,
          ApiKeyServiceGrpc.SERVICE_NAME,
          QuotaServiceGrpc.SERVICE_NAME,
          ModelServiceGrpc.SERVICE_NAME,
          DeploymentServiceGrpc.SERVICE_NAME,
          UsageServiceGrpc.SERVICE_NAME,
          WorkerServiceGrpc.SERVICE_NAME,
          AuditServiceGrpc.SERVICE_NAME);

  private final ManagedChannel channel;
  private final Tenants tenants;
  private final ApiKeys apiKeys;
  private final Quotas quotas;
  private final Models models;
  private final Deployments deployments;
  private final Usage usage;
  private final Workers workers;
  private final AuditLog audit;

  private MaasAdminClient(ConnectionSettings settings) {
    this.channel =
        ChannelFactory.open(
            settings,
            SERVICES,
            List.of(ModelServiceGrpc.getUploadVersionMethod().getFullMethodName()));
    AdminCalls calls = new AdminCalls(channel, settings.timeout());
    this.tenants = new Tenants(calls);
    this.apiKeys = new ApiKeys(calls);
    this.quotas = new Quotas(calls);
    this.models = new Models(calls);
    this.deployments = new Deployments(calls);
    this.usage = new Usage(calls);
    this.workers = new Workers(calls);
    this.audit = new AuditLog(calls);
  }

  /** A builder; the target defaults to {@code localhost:7001}, the deadline to 60 s. */
  public static Builder builder() {
    return new Builder();
  }

  /** Tenants. */
  public Tenants tenants() {
    return tenants;
  }

  /** API keys. */
  public ApiKeys apiKeys() {
    return apiKeys;
  }

  /** Tenant quotas. */
  public Quotas quotas() {
    return quotas;
  }

  /** Models, versions and uploads. */
  public Models models() {
    return models;
  }

  /** Deployments. */
  public Deployments deployments() {
    return deployments;
  }

  /** Usage accounting. */
  public Usage usage() {
    return usage;
  }

  /** The cluster's workers. */
  public Workers workers() {
    return workers;
  }

  /** The audit log. */
  public AuditLog audit() {
    return audit;
  }

  /** Closes the connection, letting calls in flight finish for up to 5 seconds. */
  @Override
  public void close() {
    Closing.close(channel);
  }

  /** Builds a {@link MaasAdminClient}. Not thread-safe. */
  public static final class Builder extends ClientBuilder<Builder> {

    private Builder() {
      super("localhost:7001", Duration.ofSeconds(60));
    }

    /** The credential every call presents: the platform admin token, or a manage key. */
    public Builder token(String adminTokenOrManageKey) {
      return credential(adminTokenOrManageKey);
    }

    @Override
    Builder self() {
      return this;
    }

    /** The client; it connects on its first call. */
    public MaasAdminClient build() {
      return new MaasAdminClient(settings());
    }
  }
}
