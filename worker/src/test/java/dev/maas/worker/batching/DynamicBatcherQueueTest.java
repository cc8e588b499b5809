package dev.maas.worker.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.maas.worker.demo.DemoModels;
import dev.maas.worker.runtime.SavedModelRuntime;
import dev.maas.worker.runtime.SessionSettings;
import dev.maas.worker.tensor.HostTensor;
import dev.maas.worker.testing.Floats;
import dev.maas.worker.testing.RecordingExecutor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a {@link DynamicBatcher}'s queue admits, drops and drains requests, on a real affine model
 * (2x + 1) whose batches can be held at a gate.
 */
class DynamicBatcherQueueTest {

  @TempDir static Path models;

  private static SavedModelRuntime affine;

  private final List<RecordingExecutor> executors = new ArrayList<>();
  private final List<DynamicBatcher> batchers = new ArrayList<>();

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

  @AfterEach
  void stopBatchers() {
    executors.forEach(RecordingExecutor::open);
    batchers.forEach(DynamicBatcher::close);
  }

  @Test
  void schedule_queueFull_failsAtOnceAndAdmittedRequestsStillComplete() throws Exception {
    RecordingExecutor executor = RecordingExecutor.gated(affine::run);
    DynamicBatcher batcher = start(new BatchingConfig(32, 0, List.of(), 2, 1), executor);
    InferenceTask running = task(10);
    batcher.schedule(running);
    await().until(() -> executor.entered() == 1);
    InferenceTask second = task(20);
    InferenceTask third = task(30);
    batcher.schedule(second);
    batcher.schedule(third);
    InferenceTask refused = task(40);

    assertThatThrownBy(() -> batcher.schedule(refused))
        .isInstanceOf(QueueFullException.class)
        .hasMessageContaining("full");
    assertThat(batcher.queuedRequests()).isEqualTo(2);

    executor.open();
    assertAnswered(running, 10);
    assertAnswered(second, 20);
    assertAnswered(third, 30);
    assertThat(refused.result()).isNotDone();
    assertThat(executor.valuesSeen()).doesNotContain(40f);
  }

  @Test
  void schedule_queueHoldingOnlyWithdrawnRequests_admitsNewOnes() throws Exception {
    RecordingExecutor executor = RecordingExecutor.gated(affine::run);
    DynamicBatcher batcher = start(new BatchingConfig(32, 0, List.of(), 2, 1), executor);
    InferenceTask running = task(10);
    batcher.schedule(running);
    await().until(() -> executor.entered() == 1);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    InferenceTask cancelled = task(20);
    InferenceTask expired = task(30, deadline);
    batcher.schedule(cancelled);
    batcher.schedule(expired);
    cancelled.cancel();
    await().until(() -> System.nanoTime() - deadline > 0);

    // Both queued requests have left the queue (DESIGN.md §6): neither waits any more.
    InferenceTask next = task(40);
    batcher.schedule(next);

    executor.open();
    assertAnswered(running, 10);
    assertAnswered(next, 40);
    assertThat(failure(expired).reason())
        .isEqualTo(RequestExpiredException.Reason.DEADLINE_EXCEEDED);
    assertThat(executor.valuesSeen()).doesNotContain(20f, 30f);
  }

  @Test
  void requestWhoseDeadlinePassesWhileQueued_expiresWithoutRunning() throws Exception {
    RecordingExecutor executor = RecordingExecutor.gated(affine::run);
    DynamicBatcher batcher = start(new BatchingConfig(32, 0, List.of(), 16, 1), executor);
    InferenceTask running = task(10);
    batcher.schedule(running);
    await().until(() -> executor.entered() == 1);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    InferenceTask expiring = task(20, deadline);
    InferenceTask patient = task(30);
    batcher.schedule(expiring);
    batcher.schedule(patient);
    await().until(() -> System.nanoTime() - deadline > 0);

    executor.open();

    assertThat(failure(expiring).reason())
        .isEqualTo(RequestExpiredException.Reason.DEADLINE_EXCEEDED);
    assertAnswered(running, 10);
    assertAnswered(patient, 30);
    assertThat(executor.valuesSeen()).doesNotContain(20f);
  }

  @Test
  void cancelledRequest_leavesTheQueueWithoutRunning() throws Exception {
    RecordingExecutor executor = RecordingExecutor.gated(affine::run);
    DynamicBatcher batcher = start(new BatchingConfig(32, 0, List.of(), 16, 1), executor);
    InferenceTask running = task(10);
    batcher.schedule(running);
    await().until(() -> executor.entered() == 1);
    InferenceTask cancelled = task(20);
    InferenceTask kept = task(30);
    batcher.schedule(cancelled);
    batcher.schedule(kept);

    cancelled.cancel();

    assertThat(cancelled.result()).isCompletedExceptionally();
    assertThat(failure(cancelled).reason()).isEqualTo(RequestExpiredException.Reason.CANCELLED);
    executor.open();
    assertAnswered(running, 10);
    assertAnswered(kept, 30);
    await().until(() -> batcher.queuedRequests() == 0);
    assertThat(executor.valuesSeen()).doesNotContain(20f);
  }

  @Test
  void close_runsQueuedRequestsBeforeReturning() {
    RecordingExecutor executor = RecordingExecutor.ungated(affine::run);
    // A 10 s delay keeps the requests queued until close dispatches them.
    DynamicBatcher batcher = start(new BatchingConfig(32, 10_000_000, List.of(), 16, 1), executor);
    List<InferenceTask> queued = List.of(task(10), task(20), task(30));
    queued.forEach(batcher::schedule);

    batcher.close();

    for (InferenceTask task : queued) {
      assertThat(task.result()).isCompleted();
    }
    assertAnswered(queued.get(2), 30);
    assertThat(batcher.queuedRequests()).isZero();
  }

  @Test
  void close_waitsForTheRunningBatchAndTheQueue() throws Exception {
    RecordingExecutor executor = RecordingExecutor.gated(affine::run);
    DynamicBatcher batcher = start(new BatchingConfig(32, 0, List.of(), 16, 1), executor);
    InferenceTask running = task(10);
    batcher.schedule(running);
    await().until(() -> executor.entered() == 1);
    InferenceTask queued = task(20);
    batcher.schedule(queued);
    CompletableFuture<Void> closing = CompletableFuture.runAsync(batcher::close);
    // Requests admitted before close takes effect are drained like the others.
    await()
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> batcher.schedule(task(99)))
                    .isInstanceOf(BatcherClosedException.class));

    executor.open();
    closing.get(1, TimeUnit.MINUTES);

    assertThat(running.result()).isCompleted();
    assertThat(queued.result()).isCompleted();
    assertAnswered(queued, 20);
  }

  @Test
  void schedule_afterClose_throwsBatcherClosed() {
    RecordingExecutor executor = RecordingExecutor.ungated(affine::run);
    DynamicBatcher batcher = start(new BatchingConfig(32, 0, List.of(), 16, 1), executor);
    batcher.close();

    assertThatThrownBy(() -> batcher.schedule(task(10)))
        .isInstanceOf(BatcherClosedException.class)
        .hasMessageContaining("test");
    assertThat(executor.entered()).isZero();
  }

  private DynamicBatcher start(BatchingConfig config, RecordingExecutor executor) {
    executors.add(executor);
    DynamicBatcher batcher = new DynamicBatcher("test", config, executor, BatchObserver.NONE);
    batchers.add(batcher);
    return batcher;
  }

  /** One row [v, v+1, v+2, v+3]. */
  private static InferenceTask task(float first) {
    return task(first, InferenceTask.NO_DEADLINE);
  }

  private static InferenceTask task(float first, long deadlineNanos) {
    return InferenceTask.of(
        List.of(Floats.tensor("x", new long[] {1, 4}, Floats.counting(first, 1, 4))),
        1,
        deadlineNanos);
  }

  private static void assertAnswered(InferenceTask task, float first) {
    List<HostTensor> outputs = task.result().orTimeout(1, TimeUnit.MINUTES).join();
    assertThat(Floats.values(outputs.get(0)))
        .containsExactly(Floats.affine(Floats.counting(first, 1, 4), 2f, 1f));
  }

  /** The exception the task's future failed with. */
  private static RequestExpiredException failure(InferenceTask task) {
    ExecutionException failure =
        catchThrowableOfType(
            ExecutionException.class, () -> task.result().get(1, TimeUnit.MINUTES));
    assertThat(failure).isNotNull().hasCauseInstanceOf(RequestExpiredException.class);
    return (RequestExpiredException) failure.getCause();
  }
}
