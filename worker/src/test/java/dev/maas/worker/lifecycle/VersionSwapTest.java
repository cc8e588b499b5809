package dev.maas.worker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.RepositoryIndexRequest;
import dev.maas.proto.inference.RepositoryIndexResponse.ModelIndex;
import dev.maas.worker.demo.DemoModels;
import dev.maas.worker.testing.Floats;
import dev.maas.worker.testing.InferenceRequests;
import dev.maas.worker.testing.WorkerExtension;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A new version that appears in the repository takes over from the old one under load. */
class VersionSwapTest {

  private static final int CLIENTS = 8;

  @RegisterExtension
  static final WorkerExtension worker =
      WorkerExtension.withRepository(
          repository -> DemoModels.exportAffine(repository.resolve("affine/1"), 2f, 1f));

  private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
  private final AtomicBoolean sending = new AtomicBoolean(true);
  private final Queue<StatusRuntimeException> failures = new ConcurrentLinkedQueue<>();
  private final Queue<String> wrongAnswers = new ConcurrentLinkedQueue<>();
  private final AtomicInteger answeredByOne = new AtomicInteger();
  private final AtomicInteger answeredByTwo = new AtomicInteger();

  @AfterEach
  void stopClients() {
    sending.set(false);
    clients.shutdownNow();
  }

  @Test
  void newVersionTakesOverUnderLoadWithoutFailedRequests() throws Exception {
    List<Future<?>> loops = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      loops.add(clients.submit(() -> sendUntilStopped(client)));
    }
    await().until(() -> answeredByOne.get() >= 50);

    DemoModels.exportAffine(worker.repository().resolve("affine/2"), 3f, 1f);
    worker.reconcile();

    await().until(() -> answeredByTwo.get() >= 50);
    await()
        .until(() -> worker.worker().registry().model("affine").orElseThrow().version(1).isEmpty());
    sending.set(false);
    for (Future<?> loop : loops) {
      loop.get(1, TimeUnit.MINUTES);
    }
    assertThat(failures).isEmpty();
    assertThat(wrongAnswers).isEmpty();
    float[] x = {1f, 2f, 3f, 4f};
    ModelInferResponse after =
        stub().modelInfer(InferenceRequests.floats("affine", new long[] {1, 4}, x));
    assertThat(after.getModelVersion()).isEqualTo("2");
    assertThat(InferenceRequests.outputFloats(after)).containsExactly(Floats.affine(x, 3f, 1f));
    assertThat(
            worker
                .blocking()
                .repositoryIndex(RepositoryIndexRequest.getDefaultInstance())
                .getModelsList())
        .extracting(ModelIndex::getName, ModelIndex::getVersion, ModelIndex::getState)
        .containsExactly(tuple("affine", "2", "READY"));
  }

  /**
   * Sends distinct rows until told to stop; checks each answer against the version that sent it.
   */
  private void sendUntilStopped(int client) {
    for (int i = 0; sending.get(); i++) {
      float[] x = {client, i, -i, 0.5f};
      try {
        ModelInferResponse response =
            stub().modelInfer(InferenceRequests.floats("affine", new long[] {1, 4}, x));
        String version = response.getModelVersion();
        float[] expected = Floats.affine(x, version.equals("2") ? 3f : 2f, 1f);
        boolean known = version.equals("1") || version.equals("2");
        if (!known || !Arrays.equals(InferenceRequests.outputFloats(response), expected)) {
          wrongAnswers.add("version " + version + " answered " + response);
        }
        (version.equals("2") ? answeredByTwo : answeredByOne).incrementAndGet();
      } catch (StatusRuntimeException e) {
        failures.add(e);
      }
    }
  }

  private static GRPCInferenceServiceBlockingStub stub() {
    return worker.blocking().withDeadlineAfter(30, TimeUnit.SECONDS);
  }
}
