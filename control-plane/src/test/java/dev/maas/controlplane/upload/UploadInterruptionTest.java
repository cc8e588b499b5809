package dev.maas.controlplane.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.maas.controlplane.artifact.ArtifactStore;
import dev.maas.controlplane.testing.ControlPlaneExtension;
import dev.maas.proto.admin.v1.CreateModelRequest;
import dev.maas.proto.admin.v1.ListVersionsRequest;
import dev.maas.proto.admin.v1.ModelServiceGrpc;
import dev.maas.proto.admin.v1.ModelVersion;
import dev.maas.proto.admin.v1.UploadVersionRequest;
import dev.maas.proto.admin.v1.UploadVersionResponse;
import dev.maas.proto.admin.v1.VersionState;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Uploads cut short by the client or by a crash end FAILED, and leave no files behind. */
class UploadInterruptionTest {

  private static final String REPLICA = "replica-a";

  @RegisterExtension
  static final ControlPlaneExtension plane =
      new ControlPlaneExtension().with("maas.upload.instance-id", REPLICA);

  @BeforeAll
  static void models() {
    plane.createTenant("acme");
    for (String model : List.of("cut", "kept", "crashed")) {
      ModelServiceGrpc.newBlockingStub(plane.admin())
          .createModel(CreateModelRequest.newBuilder().setTenant("acme").setName(model).build());
    }
  }

  private static List<ModelVersion> versions(String model) {
    return ModelServiceGrpc.newBlockingStub(plane.admin())
        .listVersions(ListVersionsRequest.newBuilder().setTenant("acme").setModel(model).build())
        .getVersionsList();
  }

  private static Path ownUploads() {
    return plane.dataDir().resolve("uploads").resolve(REPLICA);
  }

  private static List<Path> filesUnder(Path directory) throws Exception {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void clientCancellingMidStream_failsTheVersion_andLeavesNoUploadFile() throws Exception {
    byte[] archive = TestArchives.savedModel("cut");
    CompletableFuture<UploadVersionResponse> answer = new CompletableFuture<>();
    StreamObserver<UploadVersionRequest> requests =
        ModelServiceGrpc.newStub(plane.admin()).uploadVersion(UploadClient.responses(answer));
    requests.onNext(UploadClient.start("acme", "cut"));
    requests.onNext(UploadClient.chunk(ByteString.copyFrom(archive, 0, archive.length / 2)));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> versions("cut").size() == 1 && !filesUnder(ownUploads()).isEmpty());

    requests.onError(new IllegalStateException("the client gives up"));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(versions("cut").get(0).getState())
                    .isEqualTo(VersionState.VERSION_STATE_FAILED));
    assertThat(versions("cut").get(0).getReason()).isEqualTo("upload interrupted");
    assertThat(filesUnder(ownUploads())).isEmpty();
    assertThat(answer)
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableThat()
        .havingCause()
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.CANCELLED));
  }

  @Test
  void restart_failsUploadsItInterrupted_andRemovesTheirLeftovers() throws Exception {
    byte[] archive = TestArchives.savedModel("kept");
    ModelVersion ready = UploadClient.upload(plane.admin(), "acme", "kept", archive);
    long crashed = modelId("crashed");
    insertVersion(crashed, 1, "VALIDATING", null, Duration.ZERO);
    insertVersion(crashed, 2, "UPLOADING", REPLICA, Duration.ZERO);
    insertVersion(crashed, 3, "UPLOADING", "replica-b", Duration.ZERO);
    insertVersion(crashed, 4, "UPLOADING", "replica-b", Duration.ofHours(2));
    Path uploads = plane.dataDir().resolve("uploads");
    Path ownUpload = write(uploads.resolve(REPLICA).resolve(crashed + "-2-abc"), Duration.ZERO);
    Path liveUpload =
        write(uploads.resolve("replica-b").resolve(crashed + "-3-def"), Duration.ZERO);
    Path staleUpload =
        write(uploads.resolve("replica-b").resolve(crashed + "-4-ghi"), Duration.ofHours(2));
    Path tenantArtifacts = plane.dataDir().resolve("artifacts").resolve("acme");
    Path staleTemporary =
        write(tenantArtifacts.resolve("." + ready.getSha256() + ".x.tmp"), Duration.ofHours(2));
    Path unrecorded = write(tenantArtifacts.resolve("ab".repeat(32)), Duration.ZERO);

    plane.stop();
    plane.start();

    assertThat(versions("crashed"))
        .extracting(v -> v.getVersion() + ":" + v.getState() + ":" + v.getReason())
        .containsExactly(
            "1:VERSION_STATE_FAILED:" + UploadRecovery.INTERRUPTED,
            "2:VERSION_STATE_FAILED:" + UploadRecovery.INTERRUPTED,
            "3:VERSION_STATE_UPLOADING:",
            "4:VERSION_STATE_FAILED:" + UploadRecovery.INTERRUPTED);
    assertThat(filesUnder(uploads)).containsExactly(liveUpload);
    assertThat(List.of(ownUpload, staleUpload, staleTemporary, unrecorded))
        .noneMatch(Files::exists);
    assertThat(versions("kept")).containsExactly(ready);
    try (InputStream stored =
        plane.context().getBean(ArtifactStore.class).open("acme", ready.getSha256())) {
      assertThat(stored.readAllBytes()).isEqualTo(archive);
    }
  }

  private static long modelId(String name) throws Exception {
    try (Connection sql = plane.sql();
        PreparedStatement select =
            sql.prepareStatement("select id from models where tenant = 'acme' and name = ?")) {
      select.setString(1, name);
      try (ResultSet rows = select.executeQuery()) {
        assertThat(rows.next()).isTrue();
        return rows.getLong(1);
      }
    }
  }

  private static void insertVersion(
      long modelId, long version, String state, String owner, Duration age) throws Exception {
    try (Connection sql = plane.sql();
        PreparedStatement insert =
            sql.prepareStatement(
                "insert into model_versions (model_id, version, state, upload_owner, updated_at)"
                    + " values (?, ?, ?, ?, now() - ? * interval '1 second')")) {
      insert.setLong(1, modelId);
      insert.setLong(2, version);
      insert.setString(3, state);
      insert.setString(4, owner);
      insert.setLong(5, age.toSeconds());
      assertThat(insert.executeUpdate()).isEqualTo(1);
    }
  }

  /** Writes a few bytes to {@code file}, last modified {@code age} ago. */
  private static Path write(Path file, Duration age) throws Exception {
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[] {1, 2, 3});
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
    return file;
  }
}
