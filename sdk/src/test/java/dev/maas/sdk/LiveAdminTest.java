package dev.maas.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.maas.sdk.admin.ApiKey;
import dev.maas.sdk.admin.Batching;
import dev.maas.sdk.admin.CreatedApiKey;
import dev.maas.sdk.admin.Deployment;
import dev.maas.sdk.admin.Device;
import dev.maas.sdk.admin.ModelDetails;
import dev.maas.sdk.admin.ModelVersion;
import dev.maas.sdk.admin.Quota;
import dev.maas.sdk.admin.QuotaLimits;
import dev.maas.sdk.admin.Scope;
import dev.maas.sdk.admin.Tenant;
import dev.maas.sdk.admin.TenantStatus;
import dev.maas.sdk.admin.TrafficShare;
import dev.maas.sdk.admin.UploadProgress;
import dev.maas.sdk.admin.UploadResult;
import dev.maas.sdk.admin.VersionState;
import dev.maas.sdk.internal.SavedModelArchive;
import dev.maas.sdk.testing.LivePlatform;
import dev.maas.sdk.testing.LivePlatformExtension;
import dev.maas.sdk.testing.TestTenant;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin client against a live control plane (and gateway, where a change shows there). */
@ExtendWith(LivePlatformExtension.class)
class LiveAdminTest {

  private static LivePlatform platform;
  private static MaasAdminClient admin;

  @BeforeAll
  static void setUp(LivePlatform live) {
    platform = live;
    admin = live.admin();
  }

  @Test
  void tenantsAreCreatedListedSuspendedResumedAndDeleted() {
    Tenant created = admin.tenants().create("lifecycle", "Life Cycle");

    assertThat(created.status()).isEqualTo(TenantStatus.ACTIVE);
    assertThat(created.createTime()).isBefore(Instant.now().plusSeconds(5));
    assertThat(admin.tenants().list()).extracting(Tenant::name).contains("lifecycle");
    assertThat(admin.tenants().suspend("lifecycle").status()).isEqualTo(TenantStatus.SUSPENDED);
    assertThat(admin.tenants().resume("lifecycle").status()).isEqualTo(TenantStatus.ACTIVE);
    assertThatThrownBy(() -> admin.tenants().create("lifecycle", ""))
        .isInstanceOf(AlreadyExistsException.class);

    admin.tenants().delete("lifecycle");

    assertThatThrownBy(() -> admin.tenants().get("lifecycle"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void aManageKeyAdministersOnlyItsOwnTenant() {
    TestTenant tenant = platform.newTenant("managed");
    try (MaasAdminClient manager =
        MaasAdminClient.builder()
            .target(platform.adminTarget())
            .token(tenant.manageKey())
            .build()) {
      assertThat(manager.tenants().list()).extracting(Tenant::name).containsExactly(tenant.name());
      assertThatThrownBy(() -> manager.tenants().create("sneaky", ""))
          .isInstanceOf(PermissionDeniedException.class);
      assertThatThrownBy(() -> manager.models().list("infer-elsewhere"))
          .isInstanceOf(NotFoundException.class);
      assertThat(manager.models().create(tenant.name(), "mine", "").name()).isEqualTo("mine");
    }
    try (MaasAdminClient wrong =
        MaasAdminClient.builder().target(platform.adminTarget()).token("nope").build()) {
      assertThatThrownBy(() -> wrong.tenants().list()).isInstanceOf(UnauthenticatedException.class);
    }
  }

  @Test
  void keysShowTheirSecretOnceAndARevokedKeyStopsWorkingAtTheGateway() {
    TestTenant tenant = platform.newTenant("keys");
    platform.deploy(tenant, "affine", "affine");
    CreatedApiKey created =
        admin
            .apiKeys()
            .create(tenant.name(), List.of(Scope.INFER), "ci", Instant.now().plusSeconds(3600));

    assertThat(created.secret()).startsWith("mk_" + created.key().keyId() + "_");
    assertThat(created.toString()).doesNotContain(created.secret());
    assertThat(admin.apiKeys().list(tenant.name()))
        .extracting(ApiKey::keyId)
        .contains(created.key().keyId());
    Tensor x = Tensor.ofFloats("x", new float[] {1, 2, 3, 4}, 1, 4);
    try (MaasClient client = platform.inference(created.secret())) {
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> client.infer("affine", x).outputs().size() == 1);

      ApiKey revoked = admin.apiKeys().revoke(tenant.name(), created.key().keyId());

      assertThat(revoked.revokeTime()).isNotNull();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThatThrownBy(() -> client.infer("affine", x))
                      .isInstanceOf(UnauthenticatedException.class));
    }
  }

  @Test
  void quotasOverrideThePlatformDefaults() {
    TestTenant tenant = platform.newTenant("quota");
    QuotaLimits before = admin.quotas().get(tenant.name());

    Quota inForce =
        admin
            .quotas()
            .set(
                tenant.name(),
                before
                    .overrides()
                    .overriddenBy(new Quota(5.0, 10L, null, null, null, 3L, null, null)));

    assertThat(inForce.requestsPerSecond()).isEqualTo(5.0);
    assertThat(inForce.maxModels()).isEqualTo(3L);
    assertThat(inForce.maxReplicas()).isEqualTo(before.inForce().maxReplicas());
    QuotaLimits after = admin.quotas().get(tenant.name());
    assertThat(after.overrides().burst()).isEqualTo(10L);
    assertThat(after.overrides().maxReplicas()).isNull();
  }

  @Test
  void uploadStreamsTheDirectoryReportsProgressAndEndsReady() throws Exception {
    TestTenant tenant = platform.newTenant("upload");
    admin.models().create(tenant.name(), "lenet", "digits");
    List<long[]> progress = new CopyOnWriteArrayList<>();
    Path lenet = platform.demoModel("lenet");

    UploadResult upload =
        admin
            .models()
            .upload(
                tenant.name(),
                "lenet",
                lenet,
                (sent, total) -> progress.add(new long[] {sent, total}));

    long size = SavedModelArchive.of(lenet).size();
    assertThat(upload.version().state()).isEqualTo(VersionState.READY);
    assertThat(upload.version().version()).isEqualTo(1);
    assertThat(upload.sizeBytes()).isEqualTo(size);
    assertThat(upload.sha256()).isEqualTo(sha256(lenet)).isEqualTo(upload.version().sha256());
    assertThat(upload.version().signatures().get(0).inputs().get(0).name()).isEqualTo("images");
    assertThat(progress).isNotEmpty();
    assertThat(progress.get(progress.size() - 1)).containsExactly(size, size);
    assertThat(progress).extracting(p -> p[0]).isSorted();
  }

  @Test
  void uploadOfADirectoryThatIsNoSavedModelFailsWithTheReason() throws IOException {
    TestTenant tenant = platform.newTenant("junk");
    admin.models().create(tenant.name(), "junk", "");
    Path junk = platform.scratch("junk-" + tenant.name());
    Files.writeString(junk.resolve("README.txt"), "not a model");

    UploadResult upload = admin.models().upload(tenant.name(), "junk", junk, UploadProgress.NONE);

    assertThat(upload.version().state()).isEqualTo(VersionState.FAILED);
    assertThat(upload.version().reason()).contains("saved_model.pb");
    assertThatThrownBy(
            () -> admin.models().upload(tenant.name(), "missing", junk, UploadProgress.NONE))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void versionsAreListedDeployedWithASplitAndRetiredOnceUnused() {
    // GetModel leaves the deployment to the deployment service; the SDK asks it.
    TestTenant tenant = platform.newTenant("versions");
    long v1 = platform.deploy(tenant, "affine", "affine");
    long v2 =
        admin
            .models()
            .upload(tenant.name(), "affine", platform.demoModel("affine3"), UploadProgress.NONE)
            .version()
            .version();

    Deployment split =
        admin
            .deployments()
            .set(
                Deployment.builder(tenant.name(), "affine", v2)
                    .replicas(1)
                    .split(v1, 50)
                    .split(v2, 50)
                    .batching(Batching.of(8, 500))
                    .device(Device.CPU)
                    .build());

    assertThat(split.trafficSplit())
        .containsExactly(new TrafficShare(v1, 50), new TrafficShare(v2, 50));
    assertThat(split.batching().maxBatchSize()).isEqualTo(8);
    assertThat(split.updateTime()).isNotNull();
    assertThatThrownBy(() -> admin.models().retireVersion(tenant.name(), "affine", v1))
        .isInstanceOf(FailedPreconditionException.class);

    admin.deployments().set(Deployment.builder(tenant.name(), "affine", v2).build());
    ModelVersion retired = admin.models().retireVersion(tenant.name(), "affine", v1);

    assertThat(retired.state()).isEqualTo(VersionState.RETIRED);
    assertThat(admin.models().listVersions(tenant.name(), "affine"))
        .extracting(ModelVersion::state)
        .containsExactly(VersionState.RETIRED, VersionState.READY);
    ModelDetails details = admin.models().get(tenant.name(), "affine");
    assertThat(details.findDeployment()).map(Deployment::defaultVersion).contains(v2);
    assertThat(admin.deployments().get(tenant.name(), "affine").defaultVersion()).isEqualTo(v2);
    admin.deployments().delete(tenant.name(), "affine");
    assertThatThrownBy(() -> admin.deployments().get(tenant.name(), "affine"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void usageWorkersAndAuditReportWhatHappened() {
    TestTenant tenant = platform.newTenant("usage");
    platform.deploy(tenant, "affine", "affine");
    try (MaasClient client = platform.inference(tenant.inferKey())) {
      client.infer("affine", Tensor.ofFloats("x", new float[] {1, 2, 3, 4}, 1, 4));
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(admin.usage().get(tenant.name(), "affine", null, null))
                    .singleElement()
                    .satisfies(
                        r -> {
                          assertThat(r.requests()).isEqualTo(1);
                          assertThat(r.version()).isEqualTo(1);
                          assertThat(r.bytesIn()).isPositive();
                        }));
    assertThat(admin.workers().list())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.healthy()).isTrue();
              assertThat(w.usedSlots()).isPositive();
            });
    assertThat(admin.audit().list(tenant.name(), 50))
        .extracting(e -> e.action())
        .contains("model.create", "version.upload", "deployment.set");
  }

  private static String sha256(Path directory) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = SavedModelArchive.of(directory).open()) {
      digest.update(in.readAllBytes());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
