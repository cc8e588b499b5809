package dev.maas.gateway.grpc;

import static dev.maas.gateway.testing.Snapshots.keyText;
import static dev.maas.gateway.testing.Snapshots.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.maas.gateway.testing.Snapshots;
import dev.maas.gateway.testing.TestCluster;
import dev.maas.gateway.testing.TestWorker;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelStreamInferResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ModelStreamInfer: each message forwarded on its own, answers and errors on the stream. */
class StreamInferTest {

  private TestCluster cluster;
  private TestWorker worker;

  @BeforeEach
  void start() throws Exception {
    cluster = TestCluster.start();
    worker = cluster.worker("w1");
    cluster.startGateway();
    cluster.publish(
        Snapshots.builder()
            .tenant("acme")
            .key("k", "acme")
            .model("acme", "m", 1, version(1, "m-v1", worker))
            .model("acme", "n", 1, version(1, "n-v1", worker)));
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  @Test
  void eachMessage_isAnswered_andErrorsCarryTheRequestId() throws Exception {
    List<ModelStreamInferResponse> answers = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<ModelInferRequest> requests =
        cluster
            .asyncClient(keyText("k"))
            .modelStreamInfer(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ModelStreamInferResponse value) {
                    answers.add(value);
                  }

                  @Override
                  public void onError(Throwable t) {
                    done.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    done.complete(null);
                  }
                });
    requests.onNext(request("m", "a"));
    requests.onNext(request("n", "b"));
    requests.onNext(request("nope", "c"));
    requests.onCompleted();

    done.get(10, TimeUnit.SECONDS);

    assertThat(answers).hasSize(3);
    assertThat(answers)
        .filteredOn(answer -> answer.getErrorMessage().isEmpty())
        .extracting(
            answer -> answer.getInferResponse().getId(),
            answer -> answer.getInferResponse().getParametersOrThrow("model_id").getStringParam())
        .containsExactlyInAnyOrder(tuple("a", "m-v1"), tuple("b", "n-v1"));
    assertThat(answers)
        .filteredOn(answer -> !answer.getErrorMessage().isEmpty())
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.getErrorMessage()).isEqualTo("model nope not found");
              assertThat(error.getInferResponse().getId()).isEqualTo("c");
            });
    assertThat(worker.calls()).isEqualTo(2);
  }

  private static ModelInferRequest request(String model, String id) {
    return TestCluster.infer(model).toBuilder().setId(id).build();
  }
}
