package dev.maas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas.sdk.admin.Quota;
import dev.maas.sdk.testing.LivePlatform;
import dev.maas.sdk.testing.LivePlatformExtension;
import dev.maas.sdk.testing.TestTenant;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LivePlatformExtension.class)
class InferCommandTest {

  private static LivePlatform platform;
  private static TestTenant tenant;

  @TempDir Path home;

  @BeforeAll
  static void deploy(LivePlatform live) {
    platform = live;
    tenant = live.newTenant("cli-infer");
    live.deploy(tenant, "affine", "affine");
    live.deploy(tenant, "lenet", "lenet");
  }

  private Cli cli() {
    return LiveCli.asTenant(platform, tenant, home);
  }

  @Test
  void inlineJsonGetsTheBatchDimensionAndTheModelsDatatype() {
    Cli.Result result = cli().run("infer", "affine", "--input", "x=@[1, 2, 3, 4]");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out())
        .contains("model affine, version 1")
        .containsPattern(
            "y\\s+FP32\\s+\\[1, 4\\]\\s+\\[3\\.00000, 5\\.00000, 7\\.00000, 9\\.00000\\]");
  }

  @Test
  void jsonAndNpyFilesAreInputsToo() throws Exception {
    Path json =
        Files.writeString(
            home.resolve("x.json"), "{\"shape\": [2, 4], \"data\": [1,2,3,4,5,6,7,8]}");
    Path npy = home.resolve("x.npy");
    Files.write(
        npy,
        npy(
            "<f8",
            "(1, 4)",
            8,
            buffer -> {
              for (double v : new double[] {0, 1, 2, 3}) {
                buffer.putDouble(v);
              }
            }));

    Cli.Result fromJson = cli().run("infer", "affine", "-i", "x=" + json, "-o", "json");
    Cli.Result fromNpy =
        cli().run("infer", "affine", "-i", "x=" + npy, "-o", "json", "--encoding", "typed");

    JsonNode a = new ObjectMapper().readTree(fromJson.out()).get("outputs").get(0);
    assertThat(a.get("shape").toString()).isEqualTo("[2,4]");
    assertThat(a.get("data").toString()).isEqualTo("[3.0,5.0,7.0,9.0,11.0,13.0,15.0,17.0]");
    JsonNode b = new ObjectMapper().readTree(fromNpy.out()).get("outputs").get(0);
    assertThat(b.get("data").toString()).isEqualTo("[1.0,3.0,5.0,7.0]");
  }

  @Test
  void topKListsTheHighestScoresOfAClassifier() throws Exception {
    StringBuilder image = new StringBuilder("[");
    for (int i = 0; i < 32 * 32 * 3; i++) {
      image.append(i == 0 ? "" : ",").append((i % 13) / 13.0);
    }
    Path file =
        Files.writeString(
            home.resolve("image.json"), "{\"shape\": [1, 32, 32, 3], \"data\": " + image + "]}");

    Cli.Result table =
        cli()
            .run(
                "infer",
                "lenet",
                "--input",
                "images=" + file,
                "--output-tensor",
                "probabilities",
                "--top",
                "3");
    Cli.Result json =
        cli().run("infer", "lenet", "--input", "images=" + file, "--top", "3", "-o", "json");

    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.out()).contains("CLASS", "SCORE").doesNotContain("logits");
    assertThat(table.out().lines().filter(l -> l.startsWith("probabilities ")).count())
        .isEqualTo(4);
    JsonNode result = new ObjectMapper().readTree(json.out());
    double sum = 0;
    for (JsonNode p : result.get("outputs").get(1).get("data")) {
      sum += p.asDouble();
    }
    assertThat(result.get("outputs").get(1).get("name").asText()).isEqualTo("probabilities");
    assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(result.get("top")).hasSize(6);
    assertThat(result.get("top").get(0).get("value").asDouble())
        .isGreaterThanOrEqualTo(result.get("top").get(1).get("value").asDouble());
  }

  @Test
  void randomInputsMakeAQuickTry() throws Exception {
    Cli.Result result = cli().run("infer", "lenet", "--random", "--top", "3", "-o", "json");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    JsonNode probabilities = new ObjectMapper().readTree(result.out()).get("outputs").get(1);
    assertThat(probabilities.get("data")).hasSize(10);
    double sum = 0;
    for (JsonNode p : probabilities.get("data")) {
      sum += p.asDouble();
    }
    assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    Cli.Result noInputs = cli().run("infer", "lenet");
    assertThat(noInputs.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noInputs.err()).contains("--random");
  }

  @Test
  void badInputsAreRefusedBeforeTheCallWithUsefulText() {
    Cli.Result missing = cli().run("infer", "lenet", "--input", "pixels=@[1]");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("has no input 'pixels'", "images (FP32 [-1, 32, 32, 3])");

    Cli.Result badJson = cli().run("infer", "affine", "--input", "x=@[1, 2,");
    assertThat(badJson.exitCode()).isEqualTo(ExitCodes.INPUT);
    assertThat(badJson.err()).contains("not valid JSON");

    Cli.Result noFile = cli().run("infer", "affine", "--input", "x=/no/such.json");
    assertThat(noFile.exitCode()).isEqualTo(ExitCodes.INPUT);

    Cli.Result wrongShape = cli().run("infer", "affine", "--input", "x=@[1, 2, 3]");
    assertThat(wrongShape.exitCode()).isEqualTo(3);
    assertThat(wrongShape.err()).startsWith("error: INVALID_ARGUMENT");
  }

  @Test
  void gatewayRefusalsExitWithTheirCodes() {
    Cli.Result badKey =
        cli().env("MAAS_API_KEY", "mk_bad_key").run("infer", "affine", "-i", "x=@[1,2,3,4]");
    assertThat(badKey.exitCode()).isEqualTo(16);
    assertThat(badKey.err())
        .isEqualTo("error: UNAUTHENTICATED: invalid API key" + System.lineSeparator());

    Cli.Result unknown = cli().run("infer", "nothing", "-i", "x=@[1]");
    assertThat(unknown.exitCode()).isEqualTo(5);
    assertThat(unknown.err()).contains("model nothing not found");
  }

  @Test
  void anExceededQuotaExitsEight() {
    TestTenant small = platform.newTenant("cli-small");
    platform.deploy(small, "affine", "affine");
    platform
        .admin()
        .quotas()
        .set(small.name(), new Quota(null, null, null, 8L, null, null, null, null));
    Cli cli = LiveCli.asTenant(platform, small, home);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Cli.Result refused = cli.run("infer", "affine", "-i", "x=@[1,2,3,4]");
              assertThat(refused.exitCode()).isEqualTo(8);
              assertThat(refused.err())
                  .contains("RESOURCE_EXHAUSTED", "exceeds the limit of 8 bytes");
            });
  }

  private static byte[] npy(
      String descr, String shape, int bytes, java.util.function.Consumer<ByteBuffer> data) {
    String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int total = 10 + header.length() + 1;
    int padding = (64 - total % 64) % 64;
    header = header + " ".repeat(padding) + "\n";
    ByteBuffer out =
        ByteBuffer.allocate(10 + header.length() + 4 * bytes * 4).order(ByteOrder.LITTLE_ENDIAN);
    out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.putShort((short) header.length());
    out.put(header.getBytes(StandardCharsets.ISO_8859_1));
    data.accept(out);
    byte[] file = new byte[out.position()];
    out.flip().get(file);
    return file;
  }
}
