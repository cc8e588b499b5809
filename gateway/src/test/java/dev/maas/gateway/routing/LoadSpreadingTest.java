package dev.maas.gateway.routing;

import static dev.maas.gateway.testing.Snapshots.keyText;
import static dev.maas.gateway.testing.Snapshots.version;
import static dev.maas.gateway.testing.TestCluster.infer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.maas.gateway.testing.Snapshots;
import dev.maas.gateway.testing.TestCluster;
import dev.maas.gateway.testing.TestWorker;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceStub;
import dev.maas.proto.inference.ModelInferResponse;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Least outstanding requests by two random choices, end to end. */
class LoadSpreadingTest {

  private TestCluster cluster;
  private TestWorker first;
  private TestWorker second;
  private GRPCInferenceServiceStub client;

  @BeforeEach
  void start() throws Exception {
    cluster = TestCluster.start();
    first = cluster.worker("first");
    second = cluster.worker("second");
    cluster.startGateway();
    cluster.publish(
        Snapshots.builder()
            .tenant("acme")
            .key("k", "acme")
            .model("acme", "m", 1, version(1, "m-v1", first, second)));
    client = cluster.asyncClient(keyText("k"));
  }

  @AfterEach
  void stop() throws Exception {
    first.releaseAll();
    second.releaseAll();
    cluster.close();
  }

  @Test
  void callsInFlight_spreadEvenlyOverTwoReplicas() {
    first.hold();
    second.hold();
    for (int i = 1; i <= 10; i++) {
      send();
      int sent = i;
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> first.heldCalls() + second.heldCalls() == sent);
    }
    // With two replicas both are always the two choices, so the one with fewer calls wins.
    assertThat(first.heldCalls()).isEqualTo(5);
    assertThat(second.heldCalls()).isEqualTo(5);
  }

  @Test
  void aStuckReplica_getsNoMoreCalls_whileTheOtherAnswers() {
    first.hold();
    for (int i = 0; i < 20; i++) {
      int heldBefore = first.heldCalls();
      CompletableFuture<ModelInferResponse> call = send();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> call.isDone() || first.heldCalls() > heldBefore);
    }
    // Whichever call landed on the stuck replica first keeps it at one outstanding call.
    assertThat(first.heldCalls()).isLessThanOrEqualTo(1);
    assertThat(second.calls()).isGreaterThanOrEqualTo(19);
  }

  private CompletableFuture<ModelInferResponse> send() {
    CompletableFuture<ModelInferResponse> result = new CompletableFuture<>();
    client.modelInfer(
        infer("m"),
        new StreamObserver<>() {
          @Override
          public void onNext(ModelInferResponse value) {
            result.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            result.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    return result;
  }
}
