package dev.maas.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.maas.sdk.admin.Quota;
import dev.maas.sdk.testing.LivePlatform;
import dev.maas.sdk.testing.LivePlatformExtension;
import dev.maas.sdk.testing.TestTenant;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The inference client against a live gateway, worker and control plane. */
@ExtendWith(LivePlatformExtension.class)
class LiveInferenceTest {

  private static LivePlatform platform;
  private static TestTenant tenant;
  private static MaasClient client;

  @BeforeAll
  static void deployDemoModels(LivePlatform live) {
    platform = live;
    tenant = live.newTenant("infer");
    live.deploy(tenant, "affine", "affine");
    live.deploy(tenant, "strings", "strings");
    live.deploy(tenant, "lenet", "lenet");
    client = live.inference(tenant.inferKey());
  }

  @AfterAll
  static void close() {
    client.close();
  }

  private static final Tensor X = Tensor.ofFloats("x", new float[] {1, 2, 3, 4}, 1, 4);

  @Test
  void rawInferenceAnswersTypedOutputs() {
    InferResult result = client.infer("affine", X);

    assertThat(result.model()).isEqualTo("affine");
    assertThat(result.version()).isEqualTo("1");
    assertThat(result.output("y").shape()).containsExactly(1, 4);
    assertThat(result.output("y").asFloats()).containsExactly(3f, 5f, 7f, 9f);
  }

  @Test
  void typedEncodingGivesTheSameAnswer() {
    InferResult result =
        client.infer(
            InferRequest.builder("affine")
                .input(X)
                .encoding(TensorEncoding.TYPED)
                .id("typed-1")
                .build());

    assertThat(result.id()).isEqualTo("typed-1");
    assertThat(result.output("y").asFloats()).containsExactly(3f, 5f, 7f, 9f);
  }

  @Test
  void stringsAndLongsTravelBothWays() {
    for (TensorEncoding encoding : TensorEncoding.values()) {
      InferResult result =
          client.infer(
              InferRequest.builder("strings")
                  .input(Tensor.ofLongs("ids", new long[] {1, 2, 3, 10, 20, 30}, 2, 3))
                  .input(Tensor.ofStrings("text", new String[] {"abc", "héllo"}, 2))
                  .encoding(encoding)
                  .build());

      assertThat(result.output("ids_sum").asLongs()).containsExactly(6L, 60L);
      assertThat(result.output("text_length").asInts()).containsExactly(3, 6);
      assertThat(result.output("text_upper").asStrings()).containsExactly("ABC", "HéLLO");
    }
  }

  @Test
  void aClassifierAnswersProbabilitiesSummingToOne() {
    float[] image = new float[32 * 32 * 3];
    for (int i = 0; i < image.length; i++) {
      image[i] = (i % 17) / 17f;
    }
    InferResult result =
        client.infer(
            InferRequest.builder("lenet")
                .input(Tensor.ofFloats("images", image, 1, 32, 32, 3))
                .output("probabilities")
                .build());

    assertThat(result.outputs()).extracting(Tensor::name).containsExactly("probabilities");
    double sum = 0;
    for (float p : result.output("probabilities").asFloats()) {
      sum += p;
    }
    assertThat(result.output("probabilities").elementCount()).isEqualTo(10);
    assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
  }

  @Test
  void asyncCallsRunConcurrently() {
    List<CompletableFuture<InferResult>> calls =
        List.of(1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f).stream()
            .map(
                v ->
                    client.inferAsync(
                        InferRequest.of(
                            "affine", Tensor.ofFloats("x", new float[] {v, v, v, v}, 1, 4))))
            .toList();

    List<Float> firsts = calls.stream().map(f -> f.join().output("y").asFloats()[0]).toList();

    assertThat(firsts).containsExactly(3f, 5f, 7f, 9f, 11f, 13f, 15f, 17f);
  }

  @Test
  void metadataAndReadinessDescribeTheServedModel() {
    ModelMetadata metadata = client.modelMetadata("affine");

    assertThat(metadata.name()).isEqualTo("affine");
    assertThat(metadata.input("x").datatype()).isEqualTo("FP32");
    assertThat(metadata.input("x").shape()).containsExactly(-1L, 4L);
    assertThat(metadata.outputs()).extracting(TensorSpec::name).containsExactly("y");
    assertThat(client.isServerLive()).isTrue();
    assertThat(client.isServerReady()).isTrue();
    assertThat(client.isModelReady("affine")).isTrue();
    assertThat(client.isModelReady("affine", "1")).isTrue();
    assertThat(client.isModelReady("no-such-model")).isFalse();
  }

  @Test
  void anUnknownModelIsNotFound() {
    assertThatThrownBy(() -> client.infer("no-such-model", X))
        .isInstanceOfSatisfying(
            NotFoundException.class,
            e -> assertThat(e.description()).isEqualTo("model no-such-model not found"));
    assertThatThrownBy(() -> client.modelMetadata("no-such-model"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void aBadTensorIsAnInvalidArgument() {
    assertThatThrownBy(
            () -> client.infer("affine", Tensor.ofFloats("x", new float[] {1, 2, 3}, 1, 3)))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("x");
  }

  @Test
  void aBadKeyIsUnauthenticatedAndAManageKeyLacksTheInferScope() {
    try (MaasClient wrongKey = platform.inference("mk_nope_nope");
        MaasClient noKey = platform.inference(null);
        MaasClient manageKey = platform.inference(tenant.manageKey())) {
      assertThatThrownBy(() -> wrongKey.infer("affine", X))
          .isInstanceOf(UnauthenticatedException.class);
      assertThatThrownBy(() -> noKey.infer("affine", X))
          .isInstanceOf(UnauthenticatedException.class)
          .hasMessageContaining("missing API key");
      assertThatThrownBy(() -> manageKey.infer("affine", X))
          .isInstanceOf(PermissionDeniedException.class)
          .hasMessageContaining("infer");
    }
  }

  @Test
  void aPassedDeadlineIsDeadlineExceeded() {
    assertThatThrownBy(
            () ->
                client.infer(
                    InferRequest.builder("affine").input(X).timeout(Duration.ofNanos(1)).build()))
        .isInstanceOf(DeadlineExceededException.class);
  }

  @Test
  void exceededQuotasAreResourceExhaustedWithTheServersRetryAdvice() {
    TestTenant limited = platform.newTenant("limited");
    platform.deploy(limited, "affine", "affine");
    Quota quotas = platform.admin().quotas().get(limited.name()).overrides();

    platform.admin().quotas().set(limited.name(), quotas.overriddenBy(quota(null, 16L)));
    try (MaasClient limitedClient = platform.inference(limited.inferKey())) {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThatThrownBy(() -> limitedClient.infer("affine", X))
                      .isInstanceOfSatisfying(
                          ResourceExhaustedException.class,
                          e -> {
                            assertThat(e.description()).contains("exceeds the limit of 16 bytes");
                            assertThat(e.retryAfter()).isEmpty();
                            assertThat(e.isRetryable()).isFalse();
                          }));

      platform.admin().quotas().set(limited.name(), quotas.overriddenBy(quota(1L, null)));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThatThrownBy(
                          () -> {
                            limitedClient.infer("affine", X);
                            limitedClient.infer("affine", X);
                          })
                      .isInstanceOfSatisfying(
                          ResourceExhaustedException.class,
                          e -> {
                            assertThat(e.description()).contains("monthly request quota of 1");
                            assertThat(e.retryAfter())
                                .hasValueSatisfying(d -> assertThat(d).isPositive());
                          }));
    }
  }

  private static Quota quota(Long monthlyRequests, Long maxRequestBytes) {
    return new Quota(null, null, null, maxRequestBytes, monthlyRequests, null, null, null);
  }

  @Test
  void cancellingAnAsyncCallCompletesItAsCancelled() {
    CompletableFuture<InferResult> call = client.inferAsync(InferRequest.of("affine", X));
    call.cancel(true);

    assertThat(call).isCancelled();
    assertThatThrownBy(call::join).isInstanceOf(java.util.concurrent.CancellationException.class);
  }

  @Test
  void asyncFailuresCompleteExceptionallyWithTheTypedException() {
    assertThatThrownBy(() -> client.inferAsync(InferRequest.of("nothing-here", X)).join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(NotFoundException.class);
  }
}
