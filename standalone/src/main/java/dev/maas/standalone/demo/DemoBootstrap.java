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
 * #TENANT}, an {@code infer} key and a {@code manage} key (their secrets written once to {@link
 * DemoCredentials}), and the {@link DemoModel demo models} uploaded as version 1 and deployed. Then
 * waits until they serve through the gateway. Running it again changes nothing but the addresses in
 * the credentials file, should the ports have moved.
 */
public final class DemoBootstrap {

  /** The demo tenant. */
  public static final String TENANT = "demo";

  private static final Logger log = LoggerFactory.getLogger(DemoBootstrap.class);

  private final Channel admin;
  private final Channel gateway;
  private final Path dataDir;
  private final String gatewayAddress;
  private final String adminAddress;
  private final Device device;

  /**
   * A bootstrap that administers through {@code admin} (a channel carrying the admin token) and
   * probes {@code gateway} (a plain channel to the gateway).
   *
   * @param dataDir where the demo credentials file goes
   * @param gatewayAddress the gateway's host:port, written to the credentials file
   * @param adminAddress the admin API's host:port, written to the credentials file
   * @param device the device to deploy on, the worker's
   */
  public DemoBootstrap(
      Channel admin,
      Channel gateway,
      Path dataDir,
      String gatewayAddress,
      String adminAddress,
      Device device) {
    this.admin = admin;
    this.gateway = gateway;
    this.dataDir = dataDir;
    this.gatewayAddress = gatewayAddress;
    this.adminAddress = adminAddress;
    this.device = device;
  }

  /**
   * Makes what is missing and waits until every demo model serves.
   *
   * @return the demo credentials, as saved
   * @throws IllegalStateException when an upload fails or the models do not serve in time
   */
  public DemoCredentials run(Duration servingTimeout) throws InterruptedException {
    ensureTenant();
    DemoCredentials credentials = ensureCredentials();
    for (DemoModel model : DemoModel.all()) {
      ensureDeployment(model, ensureVersion(model));
    }
    new ServingProbe(Bearer.over(gateway, credentials.inferKey()))
        .awaitServing(DemoModel.all().stream().map(DemoModel::name).toList(), servingTimeout);
    return credentials;
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

  /**
   * The saved keys, each kept while the control plane still knows it active and replaced by a new
   * one otherwise; the file is rewritten when anything changed, addresses included.
   */
  private DemoCredentials ensureCredentials() {
    Optional<DemoCredentials> saved = DemoCredentials.read(dataDir);
    String infer =
        saved
            .map(DemoCredentials::inferKey)
            .filter(key -> isActive(keyId(key)))
            .orElseGet(() -> createKey(Scope.SCOPE_INFER, "demo infer key"));
    String manage =
        saved
            .map(DemoCredentials::manageKey)
            .filter(key -> isActive(keyId(key)))
            .orElseGet(() -> createKey(Scope.SCOPE_MANAGE, "demo manage key"));
    DemoCredentials credentials =
        new DemoCredentials(TENANT, infer, manage, gatewayAddress, adminAddress);
    if (saved.equals(Optional.of(credentials))) {
      return credentials;
    }
    credentials.write(dataDir);
    if (saved.isEmpty()) {
      log.info("created the demo keys; they are in {}", DemoCredentials.file(dataDir));
    } else if (!saved.get().inferKey().equals(infer) || !saved.get().manageKey().equals(manage)) {
      log.warn(
          "a demo key in {} was revoked, expired or deleted: wrote a new one",
          DemoCredentials.file(dataDir));
    }
    return credentials;
  }

  private String createKey(Scope scope, String description) {
    return ApiKeyServiceGrpc.newBlockingStub(admin)
        .createApiKey(
            CreateApiKeyRequest.newBuilder()
                .setTenant(TENANT)
                .addScopes(scope)
                .setDescription(description + ", kept in " + DemoCredentials.FILE_NAME)
                .build())
        .getSecret();
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
