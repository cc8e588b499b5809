package dev.maas.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retries by the service config and the mapping of statuses, against a scripted server. */
class RetryAndErrorsTest {

  private static final RetryPolicy FAST =
      new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20), 2.0);

  private ScriptedInferenceServer server;

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedInferenceServer();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private MaasClient client(RetryPolicy policy) {
    return MaasClient.builder()
        .target(server.target())
        .apiKey("mk_abc_secret")
        .retryPolicy(policy)
        .build();
  }

  @Test
  void unavailableIsRetriedUntilItSucceeds() {
    server.failures.add(Status.UNAVAILABLE.withDescription("queue full").asRuntimeException());
    server.failures.add(Status.UNAVAILABLE.withDescription("loading").asRuntimeException());

    try (MaasClient client = client(FAST)) {
      InferResult result = client.infer("m", Tensor.ofInts("x", new int[] {1}));

      assertThat(result.model()).isEqualTo("m");
      assertThat(server.attempts).hasValue(3);
      assertThat(server.lastAuthorization).isEqualTo("Bearer mk_abc_secret");
    }
  }

  @Test
  void retriesAreBoundedByMaxAttempts() {
    for (int i = 0; i < 5; i++) {
      server.failures.add(Status.UNAVAILABLE.withDescription("down").asRuntimeException());
    }

    try (MaasClient client = client(FAST)) {
      assertThatThrownBy(() -> client.infer("m", Tensor.ofInts("x", new int[] {1})))
          .isInstanceOfSatisfying(
              UnavailableException.class,
              e -> {
                assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.description()).isEqualTo("down");
                assertThat(e.isRetryable()).isTrue();
              });
      assertThat(server.attempts).hasValue(3);
    }
  }

  @Test
  void noRetriesWithoutAPolicy() {
    server.failures.add(Status.UNAVAILABLE.asRuntimeException());

    try (MaasClient client = client(RetryPolicy.none())) {
      assertThatThrownBy(() -> client.infer("m", Tensor.ofInts("x", new int[] {1})))
          .isInstanceOf(UnavailableException.class)
          .hasMessage("UNAVAILABLE");
      assertThat(server.attempts).hasValue(1);
    }
  }

  @Test
  void otherCodesAreNotRetriedAndKeepTheirCodeAndText() {
    server.failures.add(
        Status.INVALID_ARGUMENT
            .withDescription("input 'x' has datatype INT32")
            .asRuntimeException());

    try (MaasClient client = client(FAST)) {
      assertThatThrownBy(() -> client.infer("m", Tensor.ofInts("x", new int[] {1})))
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessage("INVALID_ARGUMENT: input 'x' has datatype INT32");
      assertThat(server.attempts).hasValue(1);
    }
  }

  @Test
  void resourceExhaustedCarriesTheServersRetryDelay() {
    server.failures.add(
        StatusProto.toStatusRuntimeException(
            com.google.rpc.Status.newBuilder()
                .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
                .setMessage("request rate limit exceeded")
                .addDetails(
                    Any.pack(
                        RetryInfo.newBuilder()
                            .setRetryDelay(
                                com.google.protobuf.Duration.newBuilder().setNanos(250_000_000))
                            .build()))
                .build()));

    try (MaasClient client = client(FAST)) {
      assertThatThrownBy(() -> client.infer("m", Tensor.ofInts("x", new int[] {1})))
          .isInstanceOfSatisfying(
              ResourceExhaustedException.class,
              e -> {
                assertThat(e.retryAfter()).contains(Duration.ofMillis(250));
                assertThat(e.description()).isEqualTo("request rate limit exceeded");
              });
      assertThat(server.attempts).hasValue(1);
    }
  }

  @Test
  void aServerPushbackIsHonouredByGrpcsRetryWhateverTheCode() {
    Metadata trailers = new Metadata();
    trailers.put(Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER), "10");
    server.failures.add(
        Status.RESOURCE_EXHAUSTED
            .withDescription("too many concurrent requests")
            .asRuntimeException(trailers));

    try (MaasClient client = client(FAST)) {
      assertThat(client.infer("m", Tensor.ofInts("x", new int[] {1})).model()).isEqualTo("m");
      assertThat(server.attempts).hasValue(2);
    }
  }

  @Test
  void aNegativePushbackMeansDoNotRetry() {
    Metadata trailers = new Metadata();
    trailers.put(Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER), "-1");
    server.failures.add(
        Status.RESOURCE_EXHAUSTED.withDescription("too large").asRuntimeException(trailers));

    try (MaasClient client = client(FAST)) {
      assertThatThrownBy(() -> client.infer("m", Tensor.ofInts("x", new int[] {1})))
          .isInstanceOfSatisfying(
              ResourceExhaustedException.class, e -> assertThat(e.retryAfter()).isEmpty());
      assertThat(server.attempts).hasValue(1);
    }
  }

  @Test
  void codesWithoutASubclassComeAsMaasException() {
    server.failures.add(Status.INTERNAL.withDescription("internal error").asRuntimeException());

    try (MaasClient client = client(FAST)) {
      assertThatThrownBy(() -> client.inferAsync(InferRequest.of("m")).join())
          .isInstanceOf(CompletionException.class)
          .cause()
          .isExactlyInstanceOf(MaasException.class)
          .hasMessage("INTERNAL: internal error");
    }
  }
}
