package dev.maas.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.maas.proto.admin.v1.ListModelsRequest;
import dev.maas.proto.admin.v1.ListModelsResponse;
import dev.maas.proto.admin.v1.ModelServiceGrpc;
import dev.maas.proto.admin.v1.Scope;
import dev.maas.proto.admin.v1.UsageRecord;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.ModelMetadataRequest;
import dev.maas.proto.inference.ModelMetadataResponse;
import dev.maas.proto.inference.ModelMetadataResponse.TensorMetadata;
import dev.maas.proto.inference.ModelReadyRequest;
import dev.maas.standalone.demo.DemoBootstrap;
import dev.maas.standalone.demo.DemoCredentials;
import dev.maas.standalone.testing.StandaloneExtension;
import dev.maas.standalone.testing.Tensors;
import dev.maas.standalone.testing.TestAdmin;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The standalone platform end to end, every call through the gateway over real gRPC: the demo
 * bootstrap, tenant isolation, a traffic split between versions, key revocation and usage.
 */
class StandalonePlatformTest {

  @RegisterExtension static final StandaloneExtension platform = new StandaloneExtension();

  private static final Duration SERVING = Duration.ofMinutes(2);

  @Test
  void demoCredentials_arePrivateToTheirOwner_andHoldAnInferKeyAndAManageKey() throws Exception {
    Path file = DemoCredentials.file(platform.dataDir());
    DemoCredentials credentials = platform.demoCredentials();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(DemoCredentials.read(platform.dataDir())).contains(credentials);
    assertThat(credentials.inferKey()).startsWith("mk_").isNotEqualTo(credentials.manageKey());
    assertThat(credentials.manageKey()).startsWith("mk_");
    assertThat(credentials.gateway()).isEqualTo("localhost:" + platform.platform().gatewayPort());
    assertThat(credentials.endpoint())
        .isEqualTo("localhost:" + platform.platform().controlPlanePort());

    ListModelsResponse models =
        ModelServiceGrpc.newBlockingStub(platform.adminAs(credentials.manageKey()))
            .listModels(ListModelsRequest.newBuilder().setTenant(DemoBootstrap.TENANT).build());
    assertThat(models.getModelsCount()).isEqualTo(3);
    // Version 1 by name: another test of this class splits affine's traffic with a version 2.
    assertThat(output(credentials.inferKey(), Tensors.affine("affine", "1", 1, 2, 3, 4)))
        .containsExactly(3f, 5f, 7f, 9f);

    StatusRuntimeException inferAsManager =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                platform
                    .gateway(credentials.manageKey())
                    .modelInfer(Tensors.affine("affine", "1", 1, 2, 3, 4)));
    assertThat(inferAsManager.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    StatusRuntimeException manageAsInferrer =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                ModelServiceGrpc.newBlockingStub(platform.adminAs(credentials.inferKey()))
                    .listModels(
                        ListModelsRequest.newBuilder().setTenant(DemoBootstrap.TENANT).build()));
    assertThat(manageAsInferrer.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void bannerCommand_pastedIntoAShell_answersWithTenProbabilitiesSummingToOne() throws Exception {
    String banner = Banner.text(platform.platform(), true, Duration.ZERO);
    List<String> pasted = pasteBlock(banner, "Load the demo keys");
    assertThat(pasted).anyMatch(line -> line.startsWith("cli/bin/maas infer lenet"));
    Path repository = Path.of("").toAbsolutePath().getParent();
    assertThat(repository.resolve("cli/target/maas.jar"))
        .as("the maas CLI, which the build packages before this module")
        .isRegularFile();

    Process shell =
        new ProcessBuilder("sh", "-c", String.join("\n", pasted))
            .directory(repository.toFile())
            .redirectErrorStream(true)
            .start();
    String printed = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(shell.waitFor()).as(printed).isZero();
    List<Double> probabilities = probabilities(printed);
    assertThat(probabilities).as(printed).hasSize(10).allMatch(p -> p >= 0 && p <= 1);
    assertThat(probabilities.stream().mapToDouble(Double::doubleValue).sum())
        .as(printed)
        .isCloseTo(1.0, within(1e-4));
  }

  /** The indented lines of the banner's block that follows the line starting with {@code title}. */
  private static List<String> pasteBlock(String banner, String title) {
    List<String> lines = banner.lines().toList();
    int header = 0;
    while (!lines.get(header).startsWith(title)) {
      header++;
    }
    int first = header + 1;
    while (lines.get(first).isBlank()) {
      first++;
    }
    List<String> block = new ArrayList<>();
    for (int i = first; i < lines.size() && !lines.get(i).isBlank(); i++) {
      block.add(lines.get(i).strip());
    }
    return block;
  }

  /**
   * The values the CLI's table shows for lenet's {@code probabilities} output (after its shape).
   */
  private static List<Double> probabilities(String printed) {
    String row =
        printed
            .lines()
            .filter(line -> line.startsWith("probabilities"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no probabilities row in:\n" + printed));
    String values = row.substring(row.lastIndexOf('[') + 1, row.lastIndexOf(']'));
    return Arrays.stream(values.split(",")).map(String::strip).map(Double::valueOf).toList();
  }

  @Test
  void lenet_answersMetadataAndSoftmaxRows_alikeInTypedAndRawEncoding() {
    ModelMetadataResponse metadata =
        platform
            .gateway(platform.demoKey())
            .modelMetadata(ModelMetadataRequest.newBuilder().setName("lenet").build());
    assertThat(metadata.getName()).isEqualTo("lenet");
    assertThat(metadata.getInputsList())
        .extracting(
            TensorMetadata::getName, TensorMetadata::getDatatype, TensorMetadata::getShapeList)
        .containsExactly(tuple("images", "FP32", List.of(-1L, 32L, 32L, 3L)));
    assertThat(metadata.getOutputsList())
        .extracting(TensorMetadata::getName)
        .containsExactlyInAnyOrder("logits", "probabilities");

    float[] images = Tensors.randomFloats(3 * 32 * 32 * 3, 7);
    ModelInferResponse typed =
        platform
            .gateway(platform.demoKey())
            .modelInfer(Tensors.typed("lenet", "images", images, 3, 32, 32, 3));
    ModelInferResponse raw =
        platform
            .gateway(platform.demoKey())
            .modelInfer(Tensors.raw("lenet", "images", images, 3, 32, 32, 3));

    assertThat(typed.getModelName()).isEqualTo("lenet");
    assertThat(Tensors.shape(typed, "probabilities")).containsExactly(3L, 10L);
    List<Float> probabilities = Tensors.output(typed, "probabilities");
    for (int row = 0; row < 3; row++) {
      List<Float> rowValues = probabilities.subList(row * 10, row * 10 + 10);
      assertThat(rowValues).allSatisfy(p -> assertThat(p).isBetween(0f, 1f));
      assertThat(rowValues.stream().mapToDouble(Float::doubleValue).sum())
          .isCloseTo(1.0, within(1e-5));
    }
    assertThat(raw.getRawOutputContentsCount()).isEqualTo(raw.getOutputsCount());
    assertSameValues(Tensors.output(raw, "probabilities"), probabilities);
    assertSameValues(Tensors.output(raw, "logits"), Tensors.output(typed, "logits"));
  }

  @Test
  void binaryClassifier_answersMetadataAndProbabilities_alikeInTypedAndRawEncoding() {
    ModelMetadataResponse metadata =
        platform
            .gateway(platform.demoKey())
            .modelMetadata(ModelMetadataRequest.newBuilder().setName("binary_classifier").build());
    assertThat(metadata.getInputs(0).getName()).isEqualTo("features");
    assertThat(metadata.getInputs(0).getShapeList()).containsExactly(-1L, 100L);
    assertThat(metadata.getOutputs(0).getName()).isEqualTo("probability");

    float[] features = Tensors.randomFloats(2 * 100, 11);
    ModelInferResponse typed =
        platform
            .gateway(platform.demoKey())
            .modelInfer(Tensors.typed("binary_classifier", "features", features, 2, 100));
    ModelInferResponse raw =
        platform
            .gateway(platform.demoKey())
            .modelInfer(Tensors.raw("binary_classifier", "features", features, 2, 100));

    assertThat(Tensors.shape(typed, "probability")).containsExactly(2L, 1L);
    assertThat(Tensors.output(typed, "probability"))
        .hasSize(2)
        .allSatisfy(p -> assertThat(p).isStrictlyBetween(0f, 1f));
    assertSameValues(Tensors.output(raw, "probability"), Tensors.output(typed, "probability"));
  }

  @Test
  void anotherTenantsModel_isAnsweredExactlyAsAMissingOne() {
    TestAdmin admin = platform.admin();
    admin.createTenant("alpha");
    admin.createTenant("beta");
    String alphaKey = admin.createKey("alpha", Scope.SCOPE_INFER);
    String betaKey = admin.createKey("beta", Scope.SCOPE_INFER);
    admin.createAffineModel("alpha", "private-model", 2f, 1f);
    admin.deploy("alpha", "private-model", 1);
    awaitReady(alphaKey, "private-model", "");

    assertThat(output(alphaKey, Tensors.affine("private-model", "", 1, 2, 3, 4)))
        .containsExactly(3f, 5f, 7f, 9f);
    StatusRuntimeException hidden = inferFailure(betaKey, "private-model");
    StatusRuntimeException missing = inferFailure(betaKey, "no-such-model");

    assertThat(hidden.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(hidden.getStatus().getDescription())
        .isEqualTo(missing.getStatus().getDescription().replace("no-such-model", "private-model"));
    assertThat(inferFailure(platform.demoKey(), "private-model").getStatus().getDescription())
        .isEqualTo(hidden.getStatus().getDescription());
    assertThat(
            platform
                .gateway(betaKey)
                .modelReady(ModelReadyRequest.newBuilder().setName("private-model").build())
                .getReady())
        .isFalse();
  }

  @Test
  void trafficSplit_sendsAboutNinetyPercentToVersionOne_andAnExplicitVersionAlwaysRunsIt() {
    TestAdmin admin = platform.admin();
    String tenant = DemoBootstrap.TENANT;
    admin.allowRate(tenant, 10_000);
    long second = admin.uploadAffine(tenant, "affine", 3f, 1f);
    admin.deploy(tenant, "affine", 1, Map.of(1L, 90, second, 10));
    awaitReady(platform.demoKey(), "affine", Long.toString(second));

    int versionOne = 0;
    int versionTwo = 0;
    for (int i = 0; i < 400; i++) {
      ModelInferResponse response =
          platform.gateway(platform.demoKey()).modelInfer(Tensors.affine("affine", "", 1, 1, 1, 1));
      List<Float> y = Tensors.output(response, "y");
      if (y.equals(List.of(3f, 3f, 3f, 3f))) {
        versionOne++;
        assertThat(response.getModelVersion()).isIn("", "1");
      } else {
        assertThat(y).containsExactly(4f, 4f, 4f, 4f);
        versionTwo++;
      }
    }

    assertThat(versionTwo).isPositive();
    assertThat(versionOne / 400.0).isBetween(0.80, 0.97);
    for (int i = 0; i < 20; i++) {
      assertThat(output(platform.demoKey(), Tensors.affine("affine", "2", 1, 2, 3, 4)))
          .containsExactly(4f, 7f, 10f, 13f);
    }
  }

  @Test
  void revokedKey_isRefusedByTheGatewayWithinTwoSeconds() {
    TestAdmin admin = platform.admin();
    String key = admin.createKey(DemoBootstrap.TENANT, Scope.SCOPE_INFER);
    awaitReady(key, "affine", "1");

    admin.revoke(DemoBootstrap.TENANT, key);

    await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> inferFailureCode(key) == Status.Code.UNAUTHENTICATED);
    assertThat(inferFailure(key, "affine").getStatus().getDescription())
        .isEqualTo("invalid API key");
  }

  @Test
  void usage_countsEverySuccessfulCall_once() {
    TestAdmin admin = platform.admin();
    admin.createTenant("metered");
    String key = admin.createKey("metered", Scope.SCOPE_INFER);
    admin.createAffineModel("metered", "counted", 2f, 1f);
    admin.deploy("metered", "counted", 1);
    awaitReady(key, "counted", "");

    int calls = 25;
    for (int i = 0; i < calls; i++) {
      assertThat(output(key, Tensors.affine("counted", "", i, i, i, i))).hasSize(4);
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> requests(admin.usage("metered", "counted")) == calls);
    List<UsageRecord> records = admin.usage("metered", "counted");
    assertThat(records).allSatisfy(record -> assertThat(record.getErrors()).isZero());
    assertThat(records.stream().mapToLong(UsageRecord::getItems).sum()).isEqualTo(calls);
  }

  @Test
  void healthAndMetricsEndpoints_answerOverHttp() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Platform running = platform.platform();

    assertThat(get(http, running.controlPlaneHttpPort(), "/health")).contains("UP");
    assertThat(get(http, running.gatewayMetricsPort(), "/metrics"))
        .contains("maas_gateway_snapshot_version");
    assertThat(get(http, running.workerMetricsPort(), "/metrics"))
        .contains("maas_inference_request_success_total");
  }

  private static String get(HttpClient http, int port, String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s on port %d", path, port).isEqualTo(200);
    return response.body();
  }

  private static long requests(List<UsageRecord> records) {
    return records.stream().mapToLong(UsageRecord::getRequests).sum();
  }

  private static void assertSameValues(List<Float> actual, List<Float> expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i)).isCloseTo(expected.get(i), within(1e-6f));
    }
  }

  private static List<Float> output(String key, ModelInferRequest request) {
    return Tensors.output(platform.gateway(key).modelInfer(request), "y");
  }

  private static StatusRuntimeException inferFailure(String key, String model) {
    return catchThrowableOfType(
        StatusRuntimeException.class,
        () -> platform.gateway(key).modelInfer(Tensors.affine(model, "", 1, 2, 3, 4)));
  }

  private static Status.Code inferFailureCode(String key) {
    StatusRuntimeException failure = inferFailure(key, "affine");
    return failure == null ? Status.Code.OK : failure.getStatus().getCode();
  }

  /** Waits until the gateway routes {@code model} (at {@code version}) for {@code key}. */
  private static void awaitReady(String key, String model, String version) {
    await()
        .atMost(SERVING)
        .ignoreExceptionsMatching(
            e ->
                e instanceof StatusRuntimeException s
                    && (s.getStatus().getCode() == Status.Code.UNAUTHENTICATED
                        || s.getStatus().getCode() == Status.Code.UNAVAILABLE))
        .until(
            () ->
                platform
                    .gateway(key)
                    .modelReady(
                        ModelReadyRequest.newBuilder().setName(model).setVersion(version).build())
                    .getReady());
  }
}
