package dev.maas.controlplane.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.controlplane.testing.ControlPlaneExtension;
import dev.maas.proto.admin.v1.CreateModelRequest;
import dev.maas.proto.admin.v1.ModelServiceGrpc;
import dev.maas.proto.admin.v1.ModelVersion;
import dev.maas.proto.admin.v1.VersionState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Unsafe archives fail validation with a reason, and nothing of them is stored. */
class ArchiveSafetyTest {

  @RegisterExtension
  static final ControlPlaneExtension plane =
      new ControlPlaneExtension()
          .with("maas.upload.max-files", 12)
          .with("maas.upload.max-unpacked-bytes", 64 * 1024);

  private static final byte[] GRAPH = TestArchives.servingModel().toByteArray();

  @BeforeAll
  static void model() {
    plane.createTenant("acme");
    ModelServiceGrpc.newBlockingStub(plane.admin())
        .createModel(CreateModelRequest.newBuilder().setTenant("acme").setName("m").build());
  }

  private static ModelVersion upload(TestArchives.Tar tar) {
    return UploadClient.upload(plane.admin(), "acme", "m", tar.build());
  }

  private static String failure(TestArchives.Tar tar) throws Exception {
    long storedBefore = storedFiles();
    ModelVersion version = upload(tar);
    assertThat(version.getState()).isEqualTo(VersionState.VERSION_STATE_FAILED);
    assertThat(version.getSignaturesList()).isEmpty();
    assertThat(storedFiles()).isEqualTo(storedBefore);
    return version.getReason();
  }

  private static long storedFiles() throws Exception {
    Path artifacts = plane.dataDir().resolve("artifacts");
    if (!Files.exists(artifacts)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(artifacts)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  private static TestArchives.Tar savedModel() {
    return TestArchives.tar().file("saved_model.pb", GRAPH);
  }

  @Test
  void pathTraversal_fails() throws Exception {
    assertThat(failure(savedModel().file("../x", new byte[1]))).contains("'..'", "../x");
    assertThat(failure(savedModel().file("variables/../../etc/cron", new byte[1])))
        .contains("'..'");
  }

  @Test
  void absolutePath_fails() throws Exception {
    assertThat(failure(savedModel().file("/etc/passwd", new byte[1])))
        .contains("absolute path", "/etc/passwd");
  }

  @Test
  void symbolicLink_fails() throws Exception {
    assertThat(failure(savedModel().symlink("variables", "/etc"))).contains("symbolic link");
  }

  @Test
  void hardLink_fails() throws Exception {
    assertThat(failure(savedModel().hardlink("copy.pb", "saved_model.pb"))).contains("hard link");
  }

  @Test
  void devicesAndFifos_fail() throws Exception {
    assertThat(failure(savedModel().special("null", TarConstants.LF_CHR))).contains("a device");
    assertThat(failure(savedModel().special("disk", TarConstants.LF_BLK))).contains("a device");
    assertThat(failure(savedModel().special("pipe", TarConstants.LF_FIFO))).contains("a FIFO");
  }

  @Test
  void duplicateEntry_fails() throws Exception {
    assertThat(failure(savedModel().file("./saved_model.pb", new byte[3])))
        .contains("'saved_model.pb' twice");
  }

  @Test
  void moreEntriesThanMaxFiles_fails() throws Exception {
    TestArchives.Tar tar = savedModel();
    for (int i = 0; i < 12; i++) {
      tar.file("assets/f" + i, new byte[1]);
    }
    assertThat(failure(tar)).contains("more than 12 entries");
  }

  @Test
  void moreUnpackedBytesThanTheLimit_fails() throws Exception {
    assertThat(failure(savedModel().file("variables/big", new byte[64 * 1024])))
        .contains("more than 65536 bytes unpacked");
  }

  @Test
  void gzipCompressedArchive_failsWithAHint() throws Exception {
    java.io.ByteArrayOutputStream gzipped = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(gzipped)) {
      gzip.write(savedModel().build());
    }
    ModelVersion version = UploadClient.upload(plane.admin(), "acme", "m", gzipped.toByteArray());

    assertThat(version.getState()).isEqualTo(VersionState.VERSION_STATE_FAILED);
    assertThat(version.getReason()).contains("gzip-compressed");
  }

  @Test
  void rootDirectoryAndDotSlashNames_areAccepted() {
    ModelVersion version =
        upload(
            TestArchives.tar()
                .directory("./")
                .file("./saved_model.pb", GRAPH)
                .directory("./variables/")
                .file("./variables/variables.index", new byte[8]));

    assertThat(version.getState()).isEqualTo(VersionState.VERSION_STATE_READY);
  }
}
