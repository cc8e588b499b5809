package dev.maas.worker.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.maas.worker.demo.DemoModels;
import dev.maas.worker.runtime.ModelExecutionException;
import dev.maas.worker.runtime.SavedModelRuntime;
import dev.maas.worker.runtime.SessionSettings;
import dev.maas.worker.tensor.DataType;
import dev.maas.worker.tensor.HostTensor;
import dev.maas.worker.testing.Floats;
import dev.maas.worker.testing.RecordingExecutor;
import dev.maas.worker.testing.RecordingObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch that fails on the real affine model fails only the request at fault. */
class DynamicBatcherFailureTest {

  private static final float MARKER = -12345f;

  @TempDir static Path models;

  private static SavedModelRuntime affine;

  @BeforeAll
  static void loadModel() throws Exception {
    DemoModels.exportAffine(models.resolve("1"), 2f, 1f);
    affine =
        SavedModelRuntime.load(
            models.resolve("1"), DemoModels.SERVING_SIGNATURE, SessionSettings.defaults());
  }

  @AfterAll
  static void closeModel() {
    affine.close();
  }

  @Test
  void badRequestInABatch_failsAloneWhileTheOthersAreAnswered() throws Exception {
    RecordingExecutor executor = RecordingExecutor.gated(affine::run);
    RecordingObserver observer = new RecordingObserver();
    try (DynamicBatcher batcher =
        new DynamicBatcher(
            "test", new BatchingConfig(32, 1_000, List.of(), 16, 1), executor, observer)) {
      InferenceTask held = good(0);
      batcher.schedule(held);
      await().until(() -> executor.entered() == 1);
      InferenceTask before = good(100);
      // Shape [1,4] but only two floats of data: the runtime rejects it, and any batch holding it.
      InferenceTask bad =
          InferenceTask.of(
              List.of(new HostTensor("x", DataType.FP32, new long[] {1, 4}, Floats.bytes(7f, 7f))),
              1,
              InferenceTask.NO_DEADLINE);
      InferenceTask after = good(200);
      batcher.schedule(before);
      batcher.schedule(bad);
      batcher.schedule(after);

      executor.open();

      assertAnswered(held, 0);
      assertAnswered(before, 100);
      assertAnswered(after, 200);
      ExecutionException failure =
          catchThrowableOfType(
              ExecutionException.class, () -> bad.result().get(1, TimeUnit.MINUTES));
      assertThat(failure).hasCauseInstanceOf(ModelExecutionException.class);
      assertThat(((ModelExecutionException) failure.getCause()).invalidInput()).isTrue();
      // The joined batch of three failed; then each of the three ran alone.
      assertThat(observer.batches())
          .extracting(b -> b.requests(), b -> b.succeeded())
          .containsExactly(
              tuple(1, true), tuple(3, false), tuple(1, true), tuple(1, false), tuple(1, true));
    }
  }

  @Test
  void failingBatchOfOneRequest_failsThatRequestOnly() throws Exception {
    RecordingExecutor executor = RecordingExecutor.ungated(affine::run);
    try (DynamicBatcher batcher =
        new DynamicBatcher("test", BatchingConfig.unbatched(), executor, BatchObserver.NONE)) {
      InferenceTask bad =
          InferenceTask.of(
              List.of(new HostTensor("x", DataType.FP32, new long[] {1, 4}, ByteString.EMPTY)),
              1,
              InferenceTask.NO_DEADLINE);
      batcher.schedule(bad);
      InferenceTask good = good(10);
      batcher.schedule(good);

      assertAnswered(good, 10);
      ExecutionException failure =
          catchThrowableOfType(
              ExecutionException.class, () -> bad.result().get(1, TimeUnit.MINUTES));
      assertThat(failure).hasCauseInstanceOf(ModelExecutionException.class);
      assertThat(executor.entered()).isEqualTo(2);
    }
  }

  @Test
  void errorThrownWhileRunningABatch_failsItsRequestAndTheBatcherKeepsServing() throws Exception {
    // The real model, except that a batch holding the marker row runs out of heap first.
    BatchExecutor outOfMemoryOnMarker =
        inputs -> {
          for (float value : Floats.values(inputs.get(0))) {
            if (value == MARKER) {
              throw new OutOfMemoryError("Java heap space");
            }
          }
          return affine.run(inputs);
        };
    try (DynamicBatcher batcher =
        new DynamicBatcher(
            "test", BatchingConfig.unbatched(), outOfMemoryOnMarker, BatchObserver.NONE)) {
      InferenceTask doomed = good(MARKER);
      batcher.schedule(doomed);

      ExecutionException failure =
          catchThrowableOfType(
              ExecutionException.class, () -> doomed.result().get(10, TimeUnit.SECONDS));
      assertThat(failure).hasCauseInstanceOf(OutOfMemoryError.class);

      InferenceTask next = good(10);
      batcher.schedule(next);
      assertAnswered(next, 10);
    }
  }

  private static InferenceTask good(float first) {
    return InferenceTask.of(
        List.of(Floats.tensor("x", new long[] {1, 4}, Floats.counting(first, 1, 4))),
        1,
        InferenceTask.NO_DEADLINE);
  }

  private static void assertAnswered(InferenceTask task, float first) throws Exception {
    List<HostTensor> outputs = task.result().get(1, TimeUnit.MINUTES);
    assertThat(Floats.values(outputs.get(0)))
        .containsExactly(Floats.affine(Floats.counting(first, 1, 4), 2f, 1f));
  }
}
