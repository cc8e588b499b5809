package dev.maas.worker.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.ModelStreamInferResponse;
import dev.maas.worker.testing.WorkerExtension;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ModelStreamInfer: one answer per request, errors in-band, and the stream ends after them. */
class StreamInferTest {

  @RegisterExtension static final WorkerExtension worker = WorkerExtension.withDemoModels();

  @Test
  void fiveRequestsWithOneBad_getFiveAnswersAndTheStreamCompletes() throws Exception {
    List<ModelInferRequest> requests =
        List.of(affine(0), affine(1), badShape("request-2"), affine(3), affine(4));

    List<ModelStreamInferResponse> answers = streamInfer(requests);

    assertThat(answers).hasSize(5);
    Map<String, ModelInferResponse> byId =
        answers.stream()
            .filter(a -> a.getErrorMessage().isEmpty())
            .map(ModelStreamInferResponse::getInferResponse)
            .collect(Collectors.toMap(ModelInferResponse::getId, Function.identity()));
    assertThat(byId).containsOnlyKeys("request-0", "request-1", "request-3", "request-4");
    for (int i : new int[] {0, 1, 3, 4}) {
      assertThat(InferRequests.outputFloats(byId.get("request-" + i), 0))
          .as("answer to request %d", i)
          .containsExactly(affineAnswer(i));
    }
    List<String> errors =
        answers.stream()
            .map(ModelStreamInferResponse::getErrorMessage)
            .filter(m -> !m.isEmpty())
            .toList();
    assertThat(errors).singleElement().asString().contains("input 'x'", "shape [1,3]");
  }

  @Test
  void errorAnswer_carriesTheIdOfTheFailedRequest() throws Exception {
    // Triton echoes the request id on a failed stream answer, so that a client with several
    // requests in flight can tell which one failed; answers come back in completion order.
    List<ModelStreamInferResponse> answers =
        streamInfer(List.of(affine(0), badShape("bad-one"), affine(2)));

    ModelStreamInferResponse error =
        answers.stream().filter(a -> !a.getErrorMessage().isEmpty()).findFirst().orElseThrow();
    assertThat(error.getInferResponse().getId()).isEqualTo("bad-one");
  }

  @Test
  void unknownModelOnTheStream_isAnsweredInBandAndLaterRequestsStillRun() throws Exception {
    ModelInferRequest unknown =
        InferRequests.typedFloats("no_such_model", "x", new long[] {1, 4}, new float[4]);

    List<ModelStreamInferResponse> answers = streamInfer(List.of(unknown, affine(1)));

    assertThat(answers).hasSize(2);
    assertThat(answers)
        .filteredOn(a -> !a.getErrorMessage().isEmpty())
        .singleElement()
        .extracting(ModelStreamInferResponse::getErrorMessage)
        .asString()
        .contains("'no_such_model'", "not found");
    assertThat(answers)
        .filteredOn(a -> a.getErrorMessage().isEmpty())
        .singleElement()
        .satisfies(
            a ->
                assertThat(InferRequests.outputFloats(a.getInferResponse(), 0))
                    .containsExactly(affineAnswer(1)));
  }

  @Test
  void streamWithoutRequests_completesWithoutAnswers() throws Exception {
    assertThat(streamInfer(List.of())).isEmpty();
  }

  /**
   * Sends the requests on one stream, half-closes it, and returns every answer once the server has
   * completed the stream; fails if the stream ends with an error or does not end in time.
   */
  private static List<ModelStreamInferResponse> streamInfer(List<ModelInferRequest> requests)
      throws Exception {
    List<ModelStreamInferResponse> answers = new ArrayList<>();
    CompletableFuture<List<ModelStreamInferResponse>> completed = new CompletableFuture<>();
    StreamObserver<ModelInferRequest> stream =
        GRPCInferenceServiceGrpc.newStub(worker.channel())
            .modelStreamInfer(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ModelStreamInferResponse answer) {
                    synchronized (answers) {
                      answers.add(answer);
                    }
                  }

                  @Override
                  public void onError(Throwable t) {
                    completed.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    synchronized (answers) {
                      completed.complete(List.copyOf(answers));
                    }
                  }
                });
    requests.forEach(stream::onNext);
    stream.onCompleted();
    return completed.get(30, TimeUnit.SECONDS);
  }

  private static ModelInferRequest affine(int i) {
    float[] x = {i, i + 1, i + 2, i + 3};
    return InferRequests.typedFloats("affine", "x", new long[] {1, 4}, x).toBuilder()
        .setId("request-" + i)
        .build();
  }

  private static float[] affineAnswer(int i) {
    return new float[] {2 * i + 1, 2 * (i + 1) + 1, 2 * (i + 2) + 1, 2 * (i + 3) + 1};
  }

  private static ModelInferRequest badShape(String id) {
    return InferRequests.typedFloats("affine", "x", new long[] {1, 3}, new float[3]).toBuilder()
        .setId(id)
        .build();
  }
}
