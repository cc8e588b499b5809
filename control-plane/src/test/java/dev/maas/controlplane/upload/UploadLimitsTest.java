package dev.maas.controlplane.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import dev.maas.controlplane.testing.ControlPlaneExtension;
import dev.maas.proto.admin.v1.CreateModelRequest;
import dev.maas.proto.admin.v1.ListVersionsRequest;
import dev.maas.proto.admin.v1.ModelServiceGrpc;
import dev.maas.proto.admin.v1.ModelVersion;
import dev.maas.proto.admin.v1.Quota;
import dev.maas.proto.admin.v1.QuotaServiceGrpc;
import dev.maas.proto.admin.v1.SetQuotaRequest;
import dev.maas.proto.admin.v1.UploadVersionRequest;
import dev.maas.proto.admin.v1.UploadVersionResponse;
import dev.maas.proto.admin.v1.VersionState;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Uploads past the archive size limit or the tenant's storage quota are refused as they stream. */
class UploadLimitsTest {

  private static final int MAX_ARCHIVE_BYTES = 256 * 1024;

  @RegisterExtension
  static final ControlPlaneExtension plane =
      new ControlPlaneExtension().with("maas.upload.max-archive-bytes", MAX_ARCHIVE_BYTES);

  @BeforeAll
  static void tenants() {
    for (String tenant : List.of("acme", "tight", "full", "racy")) {
      plane.createTenant(tenant);
      createModel(tenant, "m");
      createModel(tenant, "n");
    }
  }

  private static void createModel(String tenant, String name) {
    ModelServiceGrpc.newBlockingStub(plane.admin())
        .createModel(CreateModelRequest.newBuilder().setTenant(tenant).setName(name).build());
  }

  private static void setStorageQuota(String tenant, long bytes) {
    QuotaServiceGrpc.newBlockingStub(plane.admin())
        .setQuota(
            SetQuotaRequest.newBuilder()
                .setTenant(tenant)
                .setQuota(Quota.newBuilder().setMaxStorageBytes(bytes))
                .build());
  }

  private static List<ModelVersion> versions(String tenant, String model) {
    return ModelServiceGrpc.newBlockingStub(plane.admin())
        .listVersions(ListVersionsRequest.newBuilder().setTenant(tenant).setModel(model).build())
        .getVersionsList();
  }

  private static StatusRuntimeException refused(String tenant, String model, byte[] archive) {
    StatusRuntimeException error =
        assertThrows(
            StatusRuntimeException.class,
            () -> UploadClient.upload(plane.admin(), tenant, model, archive));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    return error;
  }

  private static byte[] archiveOf(int paddingBytes, long seed) {
    byte[] padding = new byte[paddingBytes];
    new Random(seed).nextBytes(padding);
    return TestArchives.tar()
        .file("saved_model.pb", TestArchives.servingModel().toByteArray())
        .file("variables/variables.data-00000-of-00001", padding)
        .build();
  }

  @Test
  void archiveLargerThanTheLimit_isResourceExhausted_andNoVersionIsReady() throws Exception {
    byte[] archive = archiveOf(3 * UploadClient.CHUNK_BYTES, 1);

    StatusRuntimeException error = refused("acme", "m", archive);

    assertThat(error.getStatus().getDescription())
        .contains("maximum upload size of " + MAX_ARCHIVE_BYTES);
    assertThat(versions("acme", "m"))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getState()).isEqualTo(VersionState.VERSION_STATE_FAILED);
              assertThat(v.getReason()).contains("maximum upload size");
            });
    try (Stream<Path> files = Files.walk(plane.dataDir().resolve("uploads"))) {
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void archiveWithinTheLimit_isAccepted() {
    assertThat(
            UploadClient.upload(plane.admin(), "acme", "n", archiveOf(MAX_ARCHIVE_BYTES / 2, 2))
                .getState())
        .isEqualTo(VersionState.VERSION_STATE_READY);
  }

  @Test
  void uploadPastTheStorageQuota_isResourceExhausted() {
    byte[] first = archiveOf(40_000, 3);
    setStorageQuota("tight", first.length + 100);
    assertThat(UploadClient.upload(plane.admin(), "tight", "m", first).getState())
        .isEqualTo(VersionState.VERSION_STATE_READY);

    StatusRuntimeException error = refused("tight", "n", archiveOf(40_000, 4));

    assertThat(error.getStatus().getDescription())
        .contains("max_storage_bytes quota of " + (first.length + 100), first.length + " in use");
    assertThat(versions("tight", "n"))
        .extracting(ModelVersion::getState)
        .containsExactly(VersionState.VERSION_STATE_FAILED);
  }

  @Test
  void concurrentUploads_areCheckedAgainstTheQuotaOnceMoreWhenStored() throws Exception {
    byte[] slow = archiveOf(30_000, 7);
    byte[] fast = archiveOf(30_000, 8);
    setStorageQuota("racy", slow.length + fast.length - 1);
    CompletableFuture<UploadVersionResponse> answer = new CompletableFuture<>();
    StreamObserver<UploadVersionRequest> requests =
        ModelServiceGrpc.newStub(plane.admin()).uploadVersion(UploadClient.responses(answer));
    requests.onNext(UploadClient.start("racy", "m"));
    requests.onNext(UploadClient.chunk(ByteString.copyFrom(slow)));
    await().atMost(Duration.ofSeconds(10)).until(() -> versions("racy", "m").size() == 1);

    assertThat(UploadClient.upload(plane.admin(), "racy", "n", fast).getState())
        .isEqualTo(VersionState.VERSION_STATE_READY);
    requests.onNext(UploadClient.finish(TestArchives.sha256(slow), slow.length));
    requests.onCompleted();

    StatusRuntimeException error =
        assertThrows(StatusRuntimeException.class, () -> UploadClient.await(answer));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(versions("racy", "m"))
        .extracting(ModelVersion::getState)
        .containsExactly(VersionState.VERSION_STATE_FAILED);
    assertThat(plane.dataDir().resolve("artifacts/racy").resolve(TestArchives.sha256(slow)))
        .doesNotExist();
  }

  @Test
  void uploadWithTheStorageQuotaUsedUp_isRefusedAtStart_withoutAVersion() {
    byte[] first = archiveOf(30_000, 5);
    setStorageQuota("full", first.length);
    assertThat(UploadClient.upload(plane.admin(), "full", "m", first).getState())
        .isEqualTo(VersionState.VERSION_STATE_READY);

    refused("full", "n", archiveOf(10, 6));

    assertThat(versions("full", "n")).isEmpty();
  }
}
