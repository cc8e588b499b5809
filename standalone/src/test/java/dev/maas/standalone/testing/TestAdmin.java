package dev.maas.standalone.testing;

import dev.maas.proto.admin.v1.ApiKeyServiceGrpc;
import dev.maas.proto.admin.v1.CreateApiKeyRequest;
import dev.maas.proto.admin.v1.CreateModelRequest;
import dev.maas.proto.admin.v1.CreateTenantRequest;
import dev.maas.proto.admin.v1.Deployment;
import dev.maas.proto.admin.v1.DeploymentServiceGrpc;
import dev.maas.proto.admin.v1.Device;
import dev.maas.proto.admin.v1.GetUsageRequest;
import dev.maas.proto.admin.v1.ModelServiceGrpc;
import dev.maas.proto.admin.v1.ModelVersion;
import dev.maas.proto.admin.v1.Quota;
import dev.maas.proto.admin.v1.QuotaServiceGrpc;
import dev.maas.proto.admin.v1.RevokeApiKeyRequest;
import dev.maas.proto.admin.v1.Scope;
import dev.maas.proto.admin.v1.SetDeploymentRequest;
import dev.maas.proto.admin.v1.SetQuotaRequest;
import dev.maas.proto.admin.v1.TenantServiceGrpc;
import dev.maas.proto.admin.v1.TrafficSplit;
import dev.maas.proto.admin.v1.UsageRecord;
import dev.maas.proto.admin.v1.UsageServiceGrpc;
import dev.maas.proto.admin.v1.VersionState;
import dev.maas.standalone.demo.SavedModelArchive;
import dev.maas.standalone.demo.VersionUploader;
import dev.maas.worker.demo.DemoModels;
import io.grpc.Channel;
import java.util.List;
import java.util.Map;

/** The admin API as tests use it: each method one admin call (or an upload), failing loudly. */
public final class TestAdmin {

  private final Channel channel;
  private final Device device;

  TestAdmin(Channel channel, Device device) {
    this.channel = channel;
    this.device = device;
  }

  /** The channel, carrying the admin token. */
  public Channel channel() {
    return channel;
  }

  /** Creates a tenant. */
  public void createTenant(String tenant) {
    TenantServiceGrpc.newBlockingStub(channel)
        .createTenant(CreateTenantRequest.newBuilder().setName(tenant).build());
  }

  /** Creates a key of {@code tenant} and returns its text. */
  public String createKey(String tenant, Scope... scopes) {
    return ApiKeyServiceGrpc.newBlockingStub(channel)
        .createApiKey(
            CreateApiKeyRequest.newBuilder()
                .setTenant(tenant)
                .addAllScopes(List.of(scopes))
                .build())
        .getSecret();
  }

  /** Revokes the key whose text is {@code key}. */
  public void revoke(String tenant, String key) {
    String keyId = key.substring(3, key.indexOf('_', 3));
    ApiKeyServiceGrpc.newBlockingStub(channel)
        .revokeApiKey(RevokeApiKeyRequest.newBuilder().setTenant(tenant).setKeyId(keyId).build());
  }

  /** Lets {@code tenant} make {@code rate} requests per second, with a burst as large. */
  public void allowRate(String tenant, int rate) {
    QuotaServiceGrpc.newBlockingStub(channel)
        .setQuota(
            SetQuotaRequest.newBuilder()
                .setTenant(tenant)
                .setQuota(Quota.newBuilder().setRequestsPerSecond(rate).setBurst(rate))
                .build());
  }

  /** Creates a model and uploads {@code y = scale * x + offset} as its first version. */
  public void createAffineModel(String tenant, String model, float scale, float offset) {
    ModelServiceGrpc.newBlockingStub(channel)
        .createModel(CreateModelRequest.newBuilder().setTenant(tenant).setName(model).build());
    uploadAffine(tenant, model, scale, offset);
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

  /** Deploys {@code version} alone, one replica. */
  public void deploy(String tenant, String model, long version) {
    deploy(tenant, model, version, Map.of());
  }

  /** Deploys with {@code split} (version to percent), {@code defaultVersion} otherwise. */
  public void deploy(String tenant, String model, long defaultVersion, Map<Long, Integer> split) {
    Deployment.Builder deployment =
        Deployment.newBuilder()
            .setTenant(tenant)
            .setModel(model)
            .setDefaultVersion(defaultVersion)
            .setMinReplicas(1)
            .setDevice(device);
    split.forEach(
        (version, percent) ->
            deployment.addTrafficSplit(
                TrafficSplit.newBuilder().setVersion(version).setPercent(percent)));
    DeploymentServiceGrpc.newBlockingStub(channel)
        .setDeployment(SetDeploymentRequest.newBuilder().setDeployment(deployment).build());
  }

  /** The tenant's usage records of {@code model} over the last 24 hours. */
  public List<UsageRecord> usage(String tenant, String model) {
    return UsageServiceGrpc.newBlockingStub(channel)
        .getUsage(GetUsageRequest.newBuilder().setTenant(tenant).setModel(model).build())
        .getRecordsList();
  }
}
