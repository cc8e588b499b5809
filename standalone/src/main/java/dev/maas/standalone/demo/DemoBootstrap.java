package dev.maas.standalone.demo;

import dev.maas.proto.admin.v1.ApiKey;
import dev.maas.proto.admin.v1.ApiKeyServiceGrpc;
import dev.maas.proto.admin.v1.Batching;
import dev.maas.proto.admin.v1.CreateApiKeyRequest;
import dev.maas.proto.admin.v1.CreateModelRequest;
import dev.maas.proto.admin.v1.CreateTenantRequest;
import dev.maas.proto.admin.v1.Deployment;
import dev.maas.proto.admin.v1.DeploymentServiceGrpc;
import dev.maas.proto.admin.v1.Device;
import dev.maas.proto.admin.v1.GetDeploymentRequest;
import dev.maas.proto.admin.v1.GetModelRequest;
import dev.maas.proto.admin.v1.GetTenantRequest;
import dev.maas.proto.admin.v1.ListApiKeysRequest;
import dev.maas.proto.admin.v1.ListVersionsRequest;
import dev.maas.proto.admin.v1.ModelServiceGrpc;
import dev.maas.proto.admin.v1.ModelVersion;
import dev.maas.proto.admin.v1.Scope;
import dev.maas.proto.admin.v1.SetDeploymentRequest;
import dev.maas.proto.admin.v1.TenantServiceGrpc;
import dev.maas.proto.admin.v1.VersionState;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up the demo through the admin API, skipping whatever exists already: the tenant {@value
 * #TENANT}, an API key with the {@code infer} and {@code manage} scopes (its text written once to
 * {@link DemoKeyFile}), and the {@link DemoModel demo models} uploaded as version 1 and deployed.
 * Then waits until they serve through the gateway. Running it again changes nothing.
 */
public final class DemoBootstrap {

  /** The demo tenant. */
  public static final String TENANT = "demo";

  private static final Logger log = LoggerFactory.getLogger(DemoBootstrap.class);

  private final Channel admin;
  private final Channel gateway;
  private final DemoKeyFile keyFile;
  private final Device device;

  /**
   * A bootstrap that administers through {@code admin} (a channel carrying the admin token) and
   * probes {@code gateway} (a plain channel to the gateway).
   *
   * @param dataDir where the demo key file goes
   * @param device the device to deploy on, the worker's
   */
  public DemoBootstrap(Channel admin, Channel gateway, Path dataDir, Device device) {
    this.admin = admin;
    this.gateway = gateway;
    this.keyFile = new DemoKeyFile(dataDir);
    this.device = device;
  }

  /**
   * Makes what is missing and waits until every demo model serves.
   *
   * @return the demo API key
   * @throws IllegalStateException when an upload fails or the models do not serve in time
   */
  public String run(Duration servingTimeout) throws InterruptedException {
    ensureTenant();
    String key = ensureKey();
    for (DemoModel model : DemoModel.all()) {
      ensureDeployment(model, ensureVersion(model));
    }
    new ServingProbe(Bearer.over(gateway, key))
        .awaitServing(DemoModel.all().stream().map(DemoModel::name).toList(), servingTimeout);
    return key;
  }

  /** The file the demo key is kept in. */
  public Path keyFile() {
    return keyFile.path();
  }

  private void ensureTenant() {
    TenantServiceGrpc.TenantServiceBlockingStub tenants = TenantServiceGrpc.newBlockingStub(admin);
    if (exists(() -> tenants.getTenant(GetTenantRequest.newBuilder().setName(TENANT).build()))) {
      return;
    }
    tenants.createTenant(
        CreateTenantRequest.newBuilder().setName(TENANT).setDisplayName("maas demo").build());
    log.info("created tenant {}", TENANT);
  }

  /** The saved key while the control plane still knows it active, else a new one, saved. */
  private String ensureKey() {
    Optional<String> saved = keyFile.read();
    if (saved.isPresent() && isActive(keyId(saved.get()))) {
      return saved.get();
    }
    String key =
        ApiKeyServiceGrpc.newBlockingStub(admin)
            .createApiKey(
                CreateApiKeyRequest.newBuilder()
                    .setTenant(TENANT)
                    .addScopes(Scope.SCOPE_INFER)
                    .addScopes(Scope.SCOPE_MANAGE)
                    .setDescription("demo key, kept in " + keyFile.path().getFileName())
                    .build())
            .getSecret();
    keyFile.write(key);
    if (saved.isPresent()) {
      log.warn(
          "the demo key in {} was revoked, expired or deleted: wrote a new one", keyFile.path());
    } else {
      log.info("created the demo API key; it is in {}", keyFile.path());
    }
    return key;
  }

  private boolean isActive(String keyId) {
    Instant now = Instant.now();
    return ApiKeyServiceGrpc.newBlockingStub(admin)
        .listApiKeys(ListApiKeysRequest.newBuilder().setTenant(TENANT).build())
        .getKeysList()
        .stream()
        .filter(key -> key.getKeyId().equals(keyId))
        .anyMatch(key -> !key.hasRevokeTime() && !expired(key, now));
  }

  /** The READY version to deploy: the lowest one there is, else a new upload. */
  private long ensureVersion(DemoModel model) {
    ModelServiceGrpc.ModelServiceBlockingStub models = ModelServiceGrpc.newBlockingStub(admin);
    GetModelRequest get =
        GetModelRequest.newBuilder().setTenant(TENANT).setName(model.name()).build();
    if (!exists(() -> models.getModel(get))) {
      models.createModel(
          CreateModelRequest.newBuilder()
              .setTenant(TENANT)
              .setName(model.name())
              .setDescription("maas demo model")
              .build());
    }
    Optional<ModelVersion> ready =
        models
            .listVersions(
                ListVersionsRequest.newBuilder().setTenant(TENANT).setModel(model.name()).build())
            .getVersionsList()
            .stream()
            .filter(version -> version.getState() == VersionState.VERSION_STATE_READY)
            .min(Comparator.comparingLong(ModelVersion::getVersion));
    if (ready.isPresent()) {
      return ready.get().getVersion();
    }
    ModelVersion uploaded =
        new VersionUploader(admin)
            .upload(TENANT, model.name(), SavedModelArchive.export(model.exporter()));
    if (uploaded.getState() != VersionState.VERSION_STATE_READY) {
      throw new IllegalStateException(
          "demo model "
              + model.name()
              + " version "
              + uploaded.getVersion()
              + " is "
              + uploaded.getState()
              + ": "
              + uploaded.getReason());
    }
    log.info("uploaded {} version {}", model.name(), uploaded.getVersion());
    return uploaded.getVersion();
  }

  /** Deploys {@code version} with one replica, unless the model has a deployment already. */
  private void ensureDeployment(DemoModel model, long version) {
    DeploymentServiceGrpc.DeploymentServiceBlockingStub deployments =
        DeploymentServiceGrpc.newBlockingStub(admin);
    GetDeploymentRequest get =
        GetDeploymentRequest.newBuilder().setTenant(TENANT).setModel(model.name()).build();
    if (exists(() -> deployments.getDeployment(get))) {
      return;
    }
    Deployment.Builder deployment =
        Deployment.newBuilder()
            .setTenant(TENANT)
            .setModel(model.name())
            .setDefaultVersion(version)
            .setMinReplicas(1)
            .setDevice(device);
    if (model.maxBatchSize() > 0) {
      deployment.setBatching(
          Batching.newBuilder()
              .setMaxBatchSize(model.maxBatchSize())
              .setMaxQueueDelayMicroseconds(model.maxQueueDelayMicroseconds()));
    }
    deployments.setDeployment(SetDeploymentRequest.newBuilder().setDeployment(deployment).build());
    log.info("deployed {} version {}", model.name(), version);
  }

  private static boolean expired(ApiKey key, Instant now) {
    return key.hasExpireTime() && key.getExpireTime().getSeconds() <= now.getEpochSecond();
  }

  /** The key id of {@code mk_<key id>_<secret>}; empty for text of another shape. */
  private static String keyId(String key) {
    int end = key.indexOf('_', 3);
    return key.startsWith("mk_") && end > 3 ? key.substring(3, end) : "";
  }

  /** Whether {@code lookup} finds its object: false on NOT_FOUND, other failures thrown. */
  private static boolean exists(Runnable lookup) {
    try {
      lookup.run();
      return true;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }
}
