package dev.maas.worker.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.maas.worker.demo.DemoModels;
import dev.maas.worker.runtime.SavedModelRuntime;
import dev.maas.worker.runtime.SessionSettings;
import dev.maas.worker.tensor.HostTensor;
import dev.maas.worker.testing.Floats;
import dev.maas.worker.testing.RecordingExecutor;
import dev.maas.worker.testing.RecordingObserver;
import dev.maas.worker.testing.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a {@link DynamicBatcher} joins requests into batches on a real affine model (2x + 1). */
class DynamicBatcherBatchingTest {

  private static final int WIDTH = 4;

  @TempDir static Path models;

  private static SavedModelRuntime affine;
  private static SavedModelRuntime anyWidth;

  private final List<RecordingExecutor> executors = new ArrayList<>();
  private final List<DynamicBatcher> batchers = new ArrayList<>();
  private final ExecutorService callers = Executors.newCachedThreadPool();

  @BeforeAll
  static void loadModels() throws Exception {
    DemoModels.exportAffine(models.resolve("affine"), 2f, 1f);
    TestModels.exportVariableWidth(models.resolve("any-width"));
    affine = load(models.resolve("affine"));
    anyWidth = load(models.resolve("any-width"));
  }

  @AfterAll
  static void closeModels() {
    affine.close();
    anyWidth.close();
  }

  @AfterEach
  void stopBatchers() {
    executors.forEach(RecordingExecutor::open);
    batchers.forEach(DynamicBatcher::close);
    callers.shutdownNow();
  }

  @Test
  void concurrentCallersAreJoinedIntoBatchesAndEachGetsItsOwnRows() throws Exception {
    RecordingExecutor executor = RecordingExecutor.gated(affine::run);
    DynamicBatcher batcher = start(new BatchingConfig(32, 5_000, List.of(), 1024, 1), executor);
    // The first caller holds the only batch thread at the gate while 31 more queue behind it.
    Call first = call(batcher, 0, 3);
    await().until(() -> executor.entered() == 1);
    CyclicBarrier together = new CyclicBarrier(31);
    List<Future<Call>> others = new ArrayList<>();
    for (int c = 1; c < 32; c++) {
      int caller = c;
      others.add(
          callers.submit(
              () -> {
                together.await();
                return call(batcher, caller * 100, caller % 4 == 0 ? 3 : 1);
              }));
    }
    await().until(() -> batcher.queuedRequests() == 31);

    executor.open();

    List<Call> calls = new ArrayList<>(List.of(first));
    for (Future<Call> other : others) {
      calls.add(other.get(1, TimeUnit.MINUTES));
    }
    for (Call call : calls) {
      call.awaitAnswer().assertAnsweredWithItsOwnRows();
    }
    int items = calls.stream().mapToInt(Call::rows).sum();
    // 48 items: the held one alone, then the 45 queued ones in two batches of at most 32.
    assertThat(items).isEqualTo(48);
    assertThat(executor.batchSizes())
        .hasSize(3)
        .allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(32));
    assertThat(executor.batchSizes().stream().mapToLong(Long::longValue).sum()).isEqualTo(items);
  }

  @Test
  void concurrentCallersShareExecutionsWithinTheQueueDelay() throws Exception {
    RecordingExecutor executor = RecordingExecutor.ungated(affine::run);
    RecordingObserver observer = new RecordingObserver();
    DynamicBatcher batcher =
        start(new BatchingConfig(32, 100_000, List.of(), 1024, 1), executor, observer);
    int callerCount = 32;
    CyclicBarrier together = new CyclicBarrier(callerCount);
    List<Future<Call>> calls = new ArrayList<>();
    for (int c = 0; c < callerCount; c++) {
      int caller = c;
      calls.add(
          callers.submit(
              () -> {
                together.await();
                return call(batcher, caller * 100, caller % 3 == 0 ? 3 : 1);
              }));
    }

    for (Future<Call> call : calls) {
      call.get(1, TimeUnit.MINUTES).awaitAnswer().assertAnsweredWithItsOwnRows();
    }
    // Every request waits up to 100 ms for company, far longer than 32 threads need to queue.
    assertThat(executor.batchSizes()).hasSizeLessThanOrEqualTo(callerCount / 4);
    assertThat(observer.batches())
        .anySatisfy(batch -> assertThat(batch.requests()).isGreaterThan(1))
        .allSatisfy(batch -> assertThat(batch.succeeded()).isTrue());
    assertThat(observer.dequeued()).isEqualTo(callerCount);
  }

  @Test
  void withoutDelay_requestsArrivingWhileABatchRunsJoinTheNextOne() throws Exception {
    RecordingExecutor executor = RecordingExecutor.gated(affine::run);
    DynamicBatcher batcher = start(new BatchingConfig(32, 0, List.of(), 1024, 1), executor);
    Call held = call(batcher, 0, 1);
    await().until(() -> executor.entered() == 1);
    List<Call> arrivedMeanwhile =
        List.of(call(batcher, 100, 1), call(batcher, 200, 3), call(batcher, 300, 1));

    executor.open();

    held.awaitAnswer().assertAnsweredWithItsOwnRows();
    for (Call call : arrivedMeanwhile) {
      call.awaitAnswer().assertAnsweredWithItsOwnRows();
    }
    assertThat(executor.batchSizes()).containsExactly(1L, 5L);
  }

  @Test
  void instancesRunBatchesInParallel() throws Exception {
    RecordingExecutor executor = RecordingExecutor.gated(affine::run);
    DynamicBatcher batcher = start(new BatchingConfig(32, 0, List.of(), 1024, 2), executor);
    Call first = call(batcher, 0, 1);
    await().until(() -> executor.entered() == 1);
    Call second = call(batcher, 100, 2);

    // Both batches are inside the model at once: one per instance.
    await().until(() -> executor.entered() == 2);
    executor.open();

    first.awaitAnswer().assertAnsweredWithItsOwnRows();
    second.awaitAnswer().assertAnsweredWithItsOwnRows();
  }

  @Test
  void noBatchExceedsMaxBatchSize() throws Exception {
    RecordingExecutor executor = RecordingExecutor.gated(affine::run);
    DynamicBatcher batcher = start(new BatchingConfig(8, 1_000, List.of(), 1024, 1), executor);
    Call first = call(batcher, 0, 1);
    await().until(() -> executor.entered() == 1);
    List<Call> queued = new ArrayList<>();
    for (int c = 1; c <= 12; c++) {
      queued.add(call(batcher, c * 100, 1 + c % 3));
    }

    executor.open();

    first.awaitAnswer().assertAnsweredWithItsOwnRows();
    for (Call call : queued) {
      call.awaitAnswer().assertAnsweredWithItsOwnRows();
    }
    assertThat(executor.batchSizes())
        .allSatisfy(size -> assertThat(size).isBetween(1L, 8L))
        .anySatisfy(size -> assertThat(size).isGreaterThan(3L));
    assertThat(executor.batchSizes().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(1 + queued.stream().mapToInt(Call::rows).sum());
  }

  @Test
  void schedule_requestLargerThanMaxBatchSize_isRefused() {
    RecordingExecutor executor = RecordingExecutor.ungated(affine::run);
    DynamicBatcher batcher = start(new BatchingConfig(8, 1_000, List.of(), 1024, 1), executor);

    assertThatThrownBy(() -> batcher.schedule(task(0, 9)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("9 items");
    assertThat(batcher.queuedRequests()).isZero();
  }

  @Test
  void preferredBatchSizeDispatchesWithoutWaitingForTheDelay() {
    RecordingExecutor executor = RecordingExecutor.ungated(affine::run);
    // A 10 s delay: only reaching the preferred size can make these four run sooner.
    DynamicBatcher batcher =
        start(new BatchingConfig(32, 10_000_000, List.of(4), 1024, 1), executor);
    List<Call> calls = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      calls.add(call(batcher, c * 100, 1));
    }

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> calls.stream().allMatch(call -> call.task().result().isDone()));
    for (Call call : calls) {
      call.assertAnsweredWithItsOwnRows();
    }
    assertThat(executor.batchSizes()).containsExactly(4L);
  }

  @Test
  void requestsWithDifferentRowShapesAreNotJoined() throws Exception {
    RecordingExecutor executor = RecordingExecutor.gated(anyWidth::run);
    DynamicBatcher batcher = start(new BatchingConfig(32, 1_000, List.of(), 1024, 1), executor);
    Call held = call(batcher, 0, 1, 2);
    await().until(() -> executor.entered() == 1);
    List<Call> queued =
        List.of(
            call(batcher, 100, 1, 2),
            call(batcher, 200, 1, 2),
            call(batcher, 300, 2, 3),
            call(batcher, 400, 1, 3));

    executor.open();

    held.awaitAnswer().assertAnsweredWithItsOwnRows();
    for (Call call : queued) {
      call.awaitAnswer().assertAnsweredWithItsOwnRows();
    }
    assertThat(executor.batches())
        .extracting(inputs -> inputs.get(0).shape())
        .containsExactly(new long[] {1, 2}, new long[] {2, 2}, new long[] {3, 3});
  }

  private DynamicBatcher start(BatchingConfig config, RecordingExecutor executor) {
    return start(config, executor, BatchObserver.NONE);
  }

  private DynamicBatcher start(
      BatchingConfig config, RecordingExecutor executor, BatchObserver observer) {
    executors.add(executor);
    DynamicBatcher batcher = new DynamicBatcher("test", config, executor, observer);
    batchers.add(batcher);
    return batcher;
  }

  private static Call call(DynamicBatcher batcher, float first, int rows) {
    return call(batcher, first, rows, WIDTH);
  }

  private static Call call(DynamicBatcher batcher, float first, int rows, int width) {
    float[] x = Floats.counting(first, rows, width);
    InferenceTask task =
        InferenceTask.of(
            List.of(Floats.tensor("x", new long[] {rows, width}, x)),
            rows,
            InferenceTask.NO_DEADLINE);
    batcher.schedule(task);
    return new Call(task, x, rows, width);
  }

  private static InferenceTask task(float first, int rows) {
    return InferenceTask.of(
        List.of(Floats.tensor("x", new long[] {rows, WIDTH}, Floats.counting(first, rows, WIDTH))),
        rows,
        InferenceTask.NO_DEADLINE);
  }

  private static SavedModelRuntime load(Path dir) throws Exception {
    return SavedModelRuntime.load(dir, DemoModels.SERVING_SIGNATURE, SessionSettings.defaults());
  }

  /** A scheduled request and the input it sent. */
  private record Call(InferenceTask task, float[] x, int rows, int width) {

    Call awaitAnswer() throws Exception {
      task.result().get(1, TimeUnit.MINUTES);
      return this;
    }

    void assertAnsweredWithItsOwnRows() {
      CompletableFuture<List<HostTensor>> result = task.result();
      assertThat(result).isCompleted();
      HostTensor y = result.join().get(0);
      assertThat(y.name()).isEqualTo("y");
      assertThat(y.shape()).containsExactly(rows, width);
      assertThat(Floats.values(y)).containsExactly(Floats.affine(x, 2f, 1f));
    }
  }
}
