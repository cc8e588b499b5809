package dev.maas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.maas.sdk.testing.LivePlatform;
import dev.maas.sdk.testing.LivePlatformExtension;
import dev.maas.sdk.testing.TestTenant;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LivePlatformExtension.class)
class ModelCommandsTest {

  private static LivePlatform platform;

  @TempDir Path home;

  @BeforeAll
  static void setUp(LivePlatform live) {
    platform = live;
  }

  @Test
  void uploadStreamsWithProgressPrintsTheShaAndEndsReady() throws Exception {
    TestTenant tenant = platform.newTenant("cli-upload");
    Cli cli = LiveCli.asTenant(platform, tenant, home);
    assertThat(cli.run("model", "create", "lenet", "--description", "digits").exitCode()).isZero();

    Cli.Result upload =
        cli.run("model", "upload", platform.demoModel("lenet").toString(), "--model", "lenet");

    assertThat(upload.exitCode()).as(upload.toString()).isZero();
    assertThat(upload.out()).contains("VERSION", "READY");
    assertThat(upload.err())
        .contains("upload lenet", "sha256: " + sha256(platform.demoModel("lenet")));
    Cli.Result described = cli.run("model", "describe", "lenet");
    assertThat(described.out())
        .contains("model:       lenet", "digits", "deployment:  none", "READY")
        .contains("input", "images", "FP32", "[-1, 32, 32, 3]", "probabilities");
    assertThat(cli.run("model", "list").out()).contains("lenet", "digits");
  }

  @Test
  void uploadOfSomethingThatIsNoSavedModelExitsThreeWithTheReason() throws Exception {
    TestTenant tenant = platform.newTenant("cli-junk");
    Path junk = Files.createDirectories(home.resolve("junk"));
    Files.writeString(junk.resolve("notes.txt"), "not a model");
    Cli cli = LiveCli.asTenant(platform, tenant, home);

    Cli.Result upload =
        cli.run("model", "upload", junk.toString(), "--model", "junk", "--create", "--no-progress");

    assertThat(upload.exitCode()).as(upload.toString()).isEqualTo(ExitCodes.VERSION_FAILED);
    assertThat(upload.err())
        .contains("created model junk")
        .contains("error: version 1 of junk FAILED: ", "saved_model.pb");
    assertThat(upload.out()).contains("FAILED");

    Cli.Result missingDir =
        cli.run("model", "upload", home.resolve("nowhere").toString(), "--model", "junk");
    assertThat(missingDir.exitCode()).isEqualTo(ExitCodes.INPUT);
    assertThat(missingDir.err()).contains("is not a directory");

    Cli.Result missingModel =
        cli.run("model", "upload", junk.toString(), "--model", "absent", "--no-progress");
    assertThat(missingModel.exitCode()).isEqualTo(5);
  }

  @Test
  void versionsAreDeployedWithSplitAndBatchingRetiredAndUndeployed() {
    TestTenant tenant = platform.newTenant("cli-deploy");
    Cli cli = LiveCli.asTenant(platform, tenant, home);
    assertThat(
            cli.run(
                    "model",
                    "upload",
                    platform.demoModel("affine").toString(),
                    "--model",
                    "affine",
                    "--create",
                    "--no-progress")
                .exitCode())
        .isZero();
    assertThat(
            cli.run(
                    "model",
                    "upload",
                    platform.demoModel("affine3").toString(),
                    "--model",
                    "affine",
                    "--no-progress")
                .exitCode())
        .isZero();

    Cli.Result deployed =
        cli.run(
            "deploy",
            "affine",
            "--version",
            "2",
            "--replicas",
            "1",
            "--device",
            "cpu",
            "--batch-size",
            "8",
            "--batch-delay-us",
            "500",
            "--split",
            "v1=90,2=10");

    assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
    assertThat(deployed.out()).contains("affine", "1=90,2=10", "1-1", "cpu", "8", "500");
    assertThat(cli.run("model", "describe", "affine").out())
        .contains("deployment:  version 2, split v1=90%,v2=10%");
    Cli.Result inUse = cli.run("version", "retire", "affine", "1");
    assertThat(inUse.exitCode()).isEqualTo(9);
    assertThat(inUse.err()).startsWith("error: FAILED_PRECONDITION");

    assertThat(cli.run("deploy", "affine", "--version", "2").exitCode()).isZero();
    assertThat(cli.run("version", "retire", "affine", "1").out()).contains("RETIRED");
    assertThat(cli.run("version", "list", "affine").out())
        .containsPattern("1\\s+RETIRED")
        .containsPattern("2\\s+READY");
    Cli.Result badSplit = cli.run("deploy", "affine", "--version", "2", "--split", "2=50");
    assertThat(badSplit.exitCode()).isEqualTo(3);
    Cli.Result badDevice = cli.run("deploy", "affine", "--version", "2", "--device", "tpu");
    assertThat(badDevice.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badDevice.err()).contains("unknown device 'tpu'");

    assertThat(cli.run("undeploy", "affine").out()).contains("undeployed affine");
    assertThat(cli.run("model", "delete", "affine").exitCode()).isZero();
    assertThat(cli.run("model", "list").out()).doesNotContain("affine");
  }

  @Test
  void replicasShowTheirWorkerAndState_andAFailedLoadShowsItsReason() throws Exception {
    TestTenant tenant = platform.newTenant("cli-replicas");
    Cli cli = LiveCli.asTenant(platform, tenant, home);
    // Variables removed: the graph passes the upload checks, but the worker cannot run it.
    Path broken = home.resolve("affine-no-variables");
    copy(platform.demoModel("affine"), broken);
    deleteTree(broken.resolve("variables"));
    assertThat(
            cli.run(
                    "model",
                    "upload",
                    platform.demoModel("affine").toString(),
                    "--model",
                    "replicated",
                    "--create",
                    "--no-progress")
                .exitCode())
        .isZero();
    assertThat(
            cli.run("model", "upload", broken.toString(), "--model", "replicated", "--no-progress")
                .out())
        .containsPattern("2\\s+READY");
    assertThat(cli.run("deploy", "replicated", "--version", "1").exitCode()).isZero();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                cli.run("model", "describe", "replicated")
                    .out()
                    .matches(
                        "(?s).*replicas:\\s+VERSION\\s+WORKER\\s+STATE\\s+REASON\\s+"
                            + "1\\s+sdk-test-worker\\s+SERVING\\s+-.*"));

    Cli.Result switched = cli.run("deploy", "replicated", "--version", "2");
    assertThat(switched.exitCode()).as(switched.toString()).isZero();
    assertThat(switched.out())
        .contains("replicas (placed before this change):")
        .containsPattern("1\\s+sdk-test-worker\\s+SERVING");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> cli.run("model", "describe", "replicated").out().contains("FAILED"));
    String described = cli.run("model", "describe", "replicated").out();
    System.out.println(described);
    assertThat(described)
        .containsPattern("1\\s+sdk-test-worker\\s+SERVING")
        .containsPattern(
            "2\\s+sdk-test-worker\\s+FAILED\\s+.*Attempting to use uninitialized value scale");
    assertThat(cli.run("undeploy", "replicated").exitCode()).isZero();
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static String sha256(Path directory) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = dev.maas.sdk.internal.SavedModelArchive.of(directory).open()) {
      digest.update(in.readAllBytes());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
