package dev.maas.standalone.e2e;

import com.google.protobuf.Timestamp;
import dev.maas.proto.admin.v1.ApiKeyServiceGrpc;
import dev.maas.proto.admin.v1.Batching;
import dev.maas.proto.admin.v1.CreateApiKeyRequest;
import dev.maas.proto.admin.v1.CreateModelRequest;
import dev.maas.proto.admin.v1.CreateTenantRequest;
import dev.maas.proto.admin.v1.Deployment;
import dev.maas.proto.admin.v1.DeploymentServiceGrpc;
import dev.maas.proto.admin.v1.Device;
import dev.maas.proto.admin.v1.GetUsageRequest;
import dev.maas.proto.admin.v1.ListWorkersRequest;
import dev.maas.proto.admin.v1.ModelServiceGrpc;
import dev.maas.proto.admin.v1.ModelVersion;
import dev.maas.proto.admin.v1.Quota;
import dev.maas.proto.admin.v1.QuotaServiceGrpc;
import dev.maas.proto.admin.v1.RevokeApiKeyRequest;
import dev.maas.proto.admin.v1.Scope;
import dev.maas.proto.admin.v1.SetDeploymentRequest;
import dev.maas.proto.admin.v1.SetQuotaRequest;
import dev.maas.proto.admin.v1.SuspendTenantRequest;
import dev.maas.proto.admin.v1.TenantServiceGrpc;
import dev.maas.proto.admin.v1.TrafficSplit;
import dev.maas.proto.admin.v1.UsageRecord;
import dev.maas.proto.admin.v1.UsageServiceGrpc;
import dev.maas.proto.admin.v1.VersionState;
import dev.maas.proto.admin.v1.Worker;
import dev.maas.proto.admin.v1.WorkerServiceGrpc;
import dev.maas.standalone.demo.SavedModelArchive;
import dev.maas.standalone.demo.VersionUploader;
import dev.maas.worker.demo.DemoModels;
import io.grpc.Channel;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The control plane's admin API as the platform admin, one call per method, failing loudly. */
public final class ClusterAdmin {

  private static final long DEADLINE_SECONDS = 30;

  private final Channel channel;
  private final Device device;

  public ClusterAdmin(Channel channel, Device device) {
    this.channel = channel;
    this.device = device;
  }

  public void createTenant(String tenant) {
    TenantServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .createTenant(CreateTenantRequest.newBuilder().setName(tenant).build());
  }

  public void suspendTenant(String tenant) {
    TenantServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .suspendTenant(SuspendTenantRequest.newBuilder().setName(tenant).build());
  }

  /** A new key of {@code tenant} with {@code scopes}; returns its text. */
  public String createKey(String tenant, Scope... scopes) {
    return createKey(CreateApiKeyRequest.newBuilder().setTenant(tenant), scopes);
  }

  /** A new key of {@code tenant} that expires at {@code expiry}; returns its text. */
  public String createExpiringKey(String tenant, Instant expiry, Scope... scopes) {
    return createKey(
        CreateApiKeyRequest.newBuilder()
            .setTenant(tenant)
            .setExpireTime(
                Timestamp.newBuilder()
                    .setSeconds(expiry.getEpochSecond())
                    .setNanos(expiry.getNano())),
        scopes);
  }

  private String createKey(CreateApiKeyRequest.Builder request, Scope... scopes) {
    return ApiKeyServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .createApiKey(request.addAllScopes(List.of(scopes)).build())
        .getSecret();
  }

  /** Revokes the key whose text is {@code key} ({@code mk_<key id>_<secret>}). */
  public void revoke(String tenant, String key) {
    String keyId = key.substring(3, key.indexOf('_', 3));
    ApiKeyServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .revokeApiKey(RevokeApiKeyRequest.newBuilder().setTenant(tenant).setKeyId(keyId).build());
  }

  /** Sets the tenant's request rate and burst; other limits keep the defaults. */
  public void setRate(String tenant, double requestsPerSecond, long burst) {
    QuotaServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .setQuota(
            SetQuotaRequest.newBuilder()
                .setTenant(tenant)
                .setQuota(
                    Quota.newBuilder().setRequestsPerSecond(requestsPerSecond).setBurst(burst))
                .build());
  }

  public void createModel(String tenant, String model) {
    ModelServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .createModel(CreateModelRequest.newBuilder().setTenant(tenant).setName(model).build());
  }

  /** Uploads {@code y = scale * x + offset} as the model's next version; returns its number. */
  public long uploadAffine(String tenant, String model, float scale, float offset) {
    ModelVersion version =
        new VersionUploader(channel)
            .upload(
                tenant,
                model,
                SavedModelArchive.export(dir -> DemoModels.exportAffine(dir, scale, offset)));
    if (version.getState() != VersionState.VERSION_STATE_READY) {
      throw new AssertionError("upload failed: " + version);
    }
    return version.getVersion();
  }

  /** Uploads the demo LeNet as the model's next version; returns its number. */
  public long uploadLenet(String tenant, String model) {
    ModelVersion version =
        new VersionUploader(channel)
            .upload(tenant, model, SavedModelArchive.export(DemoModels::exportLenet));
    if (version.getState() != VersionState.VERSION_STATE_READY) {
      throw new AssertionError("upload failed: " + version);
    }
    return version.getVersion();
  }

  /** Deploys {@code version} as the default with {@code replicas} replicas and {@code batching}. */
  public void deploy(String tenant, String model, long version, int replicas, Batching batching) {
    DeploymentServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .setDeployment(
            SetDeploymentRequest.newBuilder()
                .setDeployment(
                    Deployment.newBuilder()
                        .setTenant(tenant)
                        .setModel(model)
                        .setDefaultVersion(version)
                        .setMinReplicas(replicas)
                        .setDevice(device)
                        .setBatching(batching))
                .build());
  }

  /**
   * Deploys the model: {@code split} (version to percent) when not empty, {@code defaultVersion}
   * otherwise, {@code replicas} replicas of each version.
   */
  public void deploy(
      String tenant, String model, long defaultVersion, int replicas, Map<Long, Integer> split) {
    Deployment.Builder deployment =
        Deployment.newBuilder()
            .setTenant(tenant)
            .setModel(model)
            .setDefaultVersion(defaultVersion)
            .setMinReplicas(replicas)
            .setDevice(device);
    split.forEach(
        (version, percent) ->
            deployment.addTrafficSplit(
                TrafficSplit.newBuilder().setVersion(version).setPercent(percent)));
    DeploymentServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .setDeployment(SetDeploymentRequest.newBuilder().setDeployment(deployment).build());
  }

  /** The tenant's usage records of {@code model} over the last 24 hours. */
  public List<UsageRecord> usage(String tenant, String model) {
    return UsageServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .getUsage(GetUsageRequest.newBuilder().setTenant(tenant).setModel(model).build())
        .getRecordsList();
  }

  /** The sum of the requests in {@link #usage}. */
  public long requests(String tenant, String model) {
    return usage(tenant, model).stream().mapToLong(UsageRecord::getRequests).sum();
  }

  /** Every worker the control plane knows. */
  public List<Worker> workers() {
    return WorkerServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .listWorkers(ListWorkersRequest.getDefaultInstance())
        .getWorkersList();
  }

  /** The admin channel: every call on it carries the platform admin token. */
  public Channel channel() {
    return channel;
  }

  /** The device deployments of this cluster ask for. */
  public Device device() {
    return device;
  }

  /** Sets a deployment as given (batching, replicas, split); returns it as stored. */
  public Deployment setDeployment(Deployment deployment) {
    return DeploymentServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .setDeployment(SetDeploymentRequest.newBuilder().setDeployment(deployment).build())
        .getDeployment();
  }

  /** Uploads {@code archive} as the model's next version; returns it, READY or FAILED. */
  public ModelVersion upload(String tenant, String model, SavedModelArchive archive) {
    return new VersionUploader(channel).upload(tenant, model, archive);
  }
}
