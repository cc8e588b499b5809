package dev.maas.gateway.quota;

import static dev.maas.gateway.testing.Snapshots.keyText;
import static dev.maas.gateway.testing.Snapshots.version;
import static dev.maas.gateway.testing.StatusAssertions.failure;
import static dev.maas.gateway.testing.TestCluster.infer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.rpc.RetryInfo;
import dev.maas.gateway.grpc.GatewayStatusMapping;
import dev.maas.gateway.testing.Snapshots;
import dev.maas.gateway.testing.TestCluster;
import dev.maas.gateway.testing.TestWorker;
import dev.maas.proto.cluster.v1.RoutedModel;
import dev.maas.proto.cluster.v1.RoutedQuota;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rate, concurrency, size and monthly limits, end to end. */
class QuotaTest {

  /** One token per 1000 s: no refill happens during a test. */
  private static final double SLOW = 0.001;

  private TestCluster cluster;
  private TestWorker worker;

  @BeforeEach
  void start() throws Exception {
    cluster = TestCluster.start();
    worker = cluster.worker("w1");
  }

  @AfterEach
  void stop() throws Exception {
    worker.releaseAll();
    cluster.close();
  }

  private GRPCInferenceServiceBlockingStub gateway(
      RoutedQuota.Builder quota, UnaryOperator<dev.maas.gateway.GatewayOptions> options)
      throws Exception {
    cluster.startGateway(options);
    cluster.publish(snapshot(quota, 0));
    return cluster.client(keyText("noisy"));
  }

  private Snapshots snapshot(RoutedQuota.Builder quota, double modelRps) {
    return Snapshots.builder()
        .tenant("noisy", true, quota)
        .tenant("quiet", true, RoutedQuota.newBuilder().setRequestsPerSecond(SLOW).setBurst(3))
        .key("noisy", "noisy")
        .key("quiet", "quiet")
        .model(
            RoutedModel.newBuilder()
                .setTenant("noisy")
                .setName("m")
                .setDefaultVersion(1)
                .setRateLimitRps(modelRps)
                .addVersions(version(1, "n-v1", worker)))
        .model("noisy", "other", 1, version(1, "o-v1", worker))
        .model("quiet", "m", 1, version(1, "q-v1", worker));
  }

  @Test
  void burst_isAdmitted_andTheExcess_isResourceExhaustedWithRetryInfo() throws Exception {
    GRPCInferenceServiceBlockingStub noisy =
        gateway(RoutedQuota.newBuilder().setRequestsPerSecond(SLOW).setBurst(3), o -> o);
    for (int i = 0; i < 3; i++) {
      noisy.modelInfer(infer("m"));
    }

    StatusRuntimeException refused =
        failure(Status.Code.RESOURCE_EXHAUSTED, () -> noisy.modelInfer(infer("m")));

    assertThat(refused.getStatus().getDescription()).isEqualTo("request rate limit exceeded");
    assertThat(retryDelay(refused)).isPositive();
    assertThat(Long.parseLong(refused.getTrailers().get(GatewayStatusMapping.RETRY_PUSHBACK)))
        .isPositive();
    assertThat(worker.calls()).isEqualTo(3);
  }

  @Test
  void aQuietTenant_isUnaffectedByANoisyOne() throws Exception {
    GRPCInferenceServiceBlockingStub noisy =
        gateway(RoutedQuota.newBuilder().setRequestsPerSecond(SLOW).setBurst(1), o -> o);
    noisy.modelInfer(infer("m"));
    failure(Status.Code.RESOURCE_EXHAUSTED, () -> noisy.modelInfer(infer("m")));

    GRPCInferenceServiceBlockingStub quiet = cluster.client(keyText("quiet"));
    for (int i = 0; i < 3; i++) {
      assertThat(quiet.modelInfer(infer("m")).getModelName()).isEqualTo("m");
    }
  }

  @Test
  void withTwoReplicas_eachGatewayAdmitsHalfTheBurst() throws Exception {
    GRPCInferenceServiceBlockingStub noisy =
        gateway(
            RoutedQuota.newBuilder().setRequestsPerSecond(SLOW).setBurst(6),
            o -> o.withReplicasHint(2));
    for (int i = 0; i < 3; i++) {
      noisy.modelInfer(infer("m"));
    }
    failure(Status.Code.RESOURCE_EXHAUSTED, () -> noisy.modelInfer(infer("m")));
  }

  @Test
  void modelRateLimit_limitsThatModelOnly() throws Exception {
    cluster.startGateway();
    cluster.publish(snapshot(Snapshots.unlimited(), SLOW));
    GRPCInferenceServiceBlockingStub noisy = cluster.client(keyText("noisy"));
    noisy.modelInfer(infer("m"));

    StatusRuntimeException refused =
        failure(Status.Code.RESOURCE_EXHAUSTED, () -> noisy.modelInfer(infer("m")));

    assertThat(refused.getStatus().getDescription()).contains("model m");
    assertThat(retryDelay(refused)).isPositive();
    assertThat(noisy.modelInfer(infer("other")).getModelName()).isEqualTo("other");
  }

  @Test
  void concurrencyLimit_refusesTheCallPastIt_andFreesSlotsWhenCallsEnd() throws Exception {
    GRPCInferenceServiceBlockingStub noisy =
        gateway(RoutedQuota.newBuilder().setMaxConcurrentRequests(2), o -> o);
    worker.hold();
    sendAsync();
    sendAsync();
    await().atMost(Duration.ofSeconds(5)).until(() -> worker.heldCalls() == 2);

    StatusRuntimeException refused =
        failure(Status.Code.RESOURCE_EXHAUSTED, () -> noisy.modelInfer(infer("m")));
    assertThat(refused.getStatus().getDescription()).isEqualTo("too many concurrent requests");
    assertThat(retryDelay(refused)).isPositive();

    worker.releaseAll();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(noisy.modelInfer(infer("m")).getModelName()).isEqualTo("m"));
  }

  @Test
  void concurrencyLimit_isSharedOverReplicas() throws Exception {
    GRPCInferenceServiceBlockingStub noisy =
        gateway(RoutedQuota.newBuilder().setMaxConcurrentRequests(4), o -> o.withReplicasHint(2));
    worker.hold();
    sendAsync();
    sendAsync();
    await().atMost(Duration.ofSeconds(5)).until(() -> worker.heldCalls() == 2);

    failure(Status.Code.RESOURCE_EXHAUSTED, () -> noisy.modelInfer(infer("m")));
  }

  @Test
  void requestOverTheSizeLimit_isRefusedBeforeReachingAWorker() throws Exception {
    GRPCInferenceServiceBlockingStub noisy =
        gateway(RoutedQuota.newBuilder().setMaxRequestBytes(200), o -> o);
    ModelInferRequest large =
        infer("m").toBuilder().addRawInputContents(ByteString.copyFrom(new byte[300])).build();

    StatusRuntimeException refused =
        failure(Status.Code.RESOURCE_EXHAUSTED, () -> noisy.modelInfer(large));

    assertThat(refused.getStatus().getDescription()).contains("exceeds the limit of 200 bytes");
    assertThat(refused.getTrailers().get(GatewayStatusMapping.RETRY_PUSHBACK)).isEqualTo("-1");
    assertThat(worker.calls()).isZero();
    assertThat(noisy.modelInfer(infer("m")).getModelName()).isEqualTo("m");
  }

  @Test
  void monthlyQuota_countsTheSnapshotsFigure_plusThisGatewaysCalls() throws Exception {
    GRPCInferenceServiceBlockingStub noisy =
        gateway(RoutedQuota.newBuilder().setMonthlyRequests(5).setMonthlyRequestsUsed(3), o -> o);
    noisy.modelInfer(infer("m"));
    noisy.modelInfer(infer("m"));

    StatusRuntimeException refused =
        failure(Status.Code.RESOURCE_EXHAUSTED, () -> noisy.modelInfer(infer("m")));
    assertThat(refused.getStatus().getDescription()).contains("monthly request quota of 5");
    assertThat(retryDelay(refused)).isGreaterThan(Duration.ZERO);
    assertThat(refused.getTrailers().get(GatewayStatusMapping.RETRY_PUSHBACK)).isEqualTo("-1");

    // A new snapshot carries the control plane's new count; the local count starts afresh.
    cluster.publish(
        snapshot(RoutedQuota.newBuilder().setMonthlyRequests(5).setMonthlyRequestsUsed(4), 0));
    noisy.modelInfer(infer("m"));
    failure(Status.Code.RESOURCE_EXHAUSTED, () -> noisy.modelInfer(infer("m")));
  }

  private void sendAsync() {
    cluster
        .asyncClient(keyText("noisy"))
        .modelInfer(
            infer("m"),
            new StreamObserver<>() {
              @Override
              public void onNext(ModelInferResponse value) {}

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {}
            });
  }

  private static Duration retryDelay(StatusRuntimeException refused) throws Exception {
    com.google.rpc.Status details = StatusProto.fromThrowable(refused);
    assertThat(details).isNotNull();
    RetryInfo info = details.getDetails(0).unpack(RetryInfo.class);
    return Duration.ofSeconds(info.getRetryDelay().getSeconds(), info.getRetryDelay().getNanos());
  }
}
