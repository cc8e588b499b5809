package dev.maas.controlplane.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maas.controlplane.testing.ControlPlaneExtension;
import dev.maas.controlplane.upload.TestArchives;
import dev.maas.controlplane.upload.UploadClient;
import dev.maas.proto.admin.v1.CreateModelRequest;
import dev.maas.proto.admin.v1.ModelServiceGrpc;
import dev.maas.proto.admin.v1.ModelVersion;
import dev.maas.proto.admin.v1.VersionState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Artifacts are stored once per tenant and digest, encrypted with the tenant's key. */
class ArtifactEncryptionTest {

  @RegisterExtension static final ControlPlaneExtension plane = new ControlPlaneExtension();

  @BeforeAll
  static void models() {
    for (String tenant : List.of("acme", "globex")) {
      plane.createTenant(tenant);
      for (String model : List.of("a", "b")) {
        ModelServiceGrpc.newBlockingStub(plane.admin())
            .createModel(CreateModelRequest.newBuilder().setTenant(tenant).setName(model).build());
      }
    }
  }

  private static ArtifactStore store() {
    return plane.context().getBean(ArtifactStore.class);
  }

  private static Path stored(String tenant, String sha256) {
    return plane.dataDir().resolve("artifacts").resolve(tenant).resolve(sha256);
  }

  private static String upload(String tenant, String model, byte[] archive) {
    ModelVersion version = UploadClient.upload(plane.admin(), tenant, model, archive);
    assertThat(version.getState()).isEqualTo(VersionState.VERSION_STATE_READY);
    return version.getSha256();
  }

  @Test
  void storedFileIsCiphertext_andOpenReturnsExactlyTheUploadedBytes() throws Exception {
    byte[] archive = TestArchives.savedModel("plain");
    String sha256 = upload("acme", "a", archive);

    byte[] onDisk = Files.readAllBytes(stored("acme", sha256));

    assertThat(onDisk).isNotEqualTo(archive).hasSizeGreaterThan(archive.length);
    assertThat(new String(onDisk, StandardCharsets.ISO_8859_1))
        .doesNotContain(TestArchives.MARKER)
        .doesNotContain("serving_default")
        .doesNotContain("saved_model.pb");
    try (InputStream in = store().open("acme", sha256)) {
      assertThat(in.readAllBytes()).isEqualTo(archive);
    }
  }

  @Test
  void sameArchiveUploadedTwice_isStoredOnce_perTenant() throws Exception {
    byte[] archive = TestArchives.savedModel("twice");
    String first = upload("acme", "a", archive);
    byte[] storedOnce = Files.readAllBytes(stored("acme", first));
    String second = upload("acme", "b", archive);
    String other = upload("globex", "a", archive);

    assertThat(second).isEqualTo(first).isEqualTo(other);
    assertThat(Files.readAllBytes(stored("acme", first))).isEqualTo(storedOnce);
    assertThat(Files.readAllBytes(stored("globex", first))).isNotEqualTo(storedOnce);
    assertThat(store().list("acme")).containsOnlyOnce(first);
    try (Connection sql = plane.sql();
        PreparedStatement select =
            sql.prepareStatement(
                "select tenant, size_bytes from artifacts where sha256 = ? order by tenant")) {
      select.setString(1, first);
      try (ResultSet rows = select.executeQuery()) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("acme");
        assertThat(rows.getLong(2)).isEqualTo(archive.length);
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("globex");
        assertThat(rows.next()).isFalse();
      }
    }
  }

  @Test
  void changedStoredByte_failsAuthenticationOnRead() throws Exception {
    String sha256 = upload("acme", "a", TestArchives.savedModel("tamper"));
    Path file = stored("acme", sha256);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);

    assertThatThrownBy(
            () -> {
              try (InputStream in = store().open("acme", sha256)) {
                in.readAllBytes();
              }
            })
        .isInstanceOf(IOException.class)
        .hasMessageContaining("failed authentication");
  }

  @Test
  void anotherTenantsFile_cannotBeReadUnderThisTenant() throws Exception {
    String sha256 = upload("acme", "b", TestArchives.savedModel("moved"));
    Files.createDirectories(stored("globex", sha256).getParent());
    Files.copy(stored("acme", sha256), stored("globex", sha256));

    assertThatThrownBy(
            () -> {
              try (InputStream in = store().open("globex", sha256)) {
                in.readAllBytes();
              }
            })
        .isInstanceOf(IOException.class)
        .hasMessageContaining("failed authentication");
    Files.delete(stored("globex", sha256));
  }

  @Test
  void dataKeysAreStoredWrapped_oneRandomKeyPerTenant() throws Exception {
    upload("acme", "a", TestArchives.savedModel("keys-a"));
    upload("globex", "b", TestArchives.savedModel("keys-g"));

    try (Connection sql = plane.sql();
        PreparedStatement select =
            sql.prepareStatement("select wrapped_key from tenant_data_keys order by tenant");
        ResultSet rows = select.executeQuery()) {
      assertThat(rows.next()).isTrue();
      byte[] acme = rows.getBytes(1);
      assertThat(rows.next()).isTrue();
      byte[] globex = rows.getBytes(1);
      assertThat(acme).hasSize(1 + 12 + 32 + 16).isNotEqualTo(globex);
      assertThat(globex).hasSize(1 + 12 + 32 + 16);
    }
  }

  @Test
  void missingArtifact_isNoSuchFile() {
    assertThatThrownBy(() -> store().open("acme", "cd".repeat(32)))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
    assertThat(store().exists("acme", "cd".repeat(32))).isFalse();
  }
}
