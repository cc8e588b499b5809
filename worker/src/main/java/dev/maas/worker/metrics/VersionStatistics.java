package dev.maas.worker.metrics;

import dev.maas.worker.batching.BatchObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cumulative statistics of one loaded model version, with Triton's meanings: kept as counters for
 * the ModelStatistics rpc and published as Prometheus meters tagged with model and version.
 * Thread-safe; updates never block.
 */
public final class VersionStatistics implements BatchObserver {

  private final MeterRegistry registry;
  private final Tags tags;
  private final Duration success = new Duration();
  private final Duration fail = new Duration();
  private final Duration queue = new Duration();
  private final Duration computeInput = new Duration();
  private final Duration computeInfer = new Duration();
  private final Duration computeOutput = new Duration();
  private final LongAdder inferenceCount = new LongAdder();
  private final LongAdder executionCount = new LongAdder();
  private final Map<Integer, BatchSizeStatistics> batches = new ConcurrentHashMap<>();
  private volatile long lastInferenceMillis;
  private final Counter successCounter;
  private final Counter itemsCounter;
  private final Counter executionsCounter;
  private final Timer requestTimer;
  private final Timer queueTimer;
  private final Timer computeTimer;
  private final DistributionSummary batchSize;

  VersionStatistics(MeterRegistry registry, String model, String version) {
    this.registry = registry;
    this.tags = Tags.of("model", model, "version", version);
    successCounter =
        Counter.builder("maas.inference.request.success")
            .description("Inference requests that succeeded")
            .tags(tags)
            .register(registry);
    itemsCounter =
        Counter.builder("maas.inference.count")
            .description("Items inferred: the sum of successful requests' batch sizes")
            .tags(tags)
            .register(registry);
    executionsCounter =
        Counter.builder("maas.inference.exec.count")
            .description("Model executions: batches run")
            .tags(tags)
            .register(registry);
    requestTimer =
        Timer.builder("maas.inference.request.duration")
            .description("Time from a request's arrival to its answer")
            .tags(tags)
            .register(registry);
    queueTimer =
        Timer.builder("maas.inference.queue.duration")
            .description("Time requests waited in the batch queue")
            .tags(tags)
            .register(registry);
    computeTimer =
        Timer.builder("maas.inference.compute.infer.duration")
            .description("Time batches spent running the model")
            .tags(tags)
            .register(registry);
    batchSize =
        DistributionSummary.builder("maas.inference.batch.size")
            .description("Items per executed batch")
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
            .tags(tags)
            .register(registry);
  }

  /** Records a request that succeeded with {@code items} items after {@code nanos}. */
  public void recordSuccess(int items, long nanos) {
    success.add(nanos);
    inferenceCount.add(items);
    lastInferenceMillis = System.currentTimeMillis();
    successCounter.increment();
    itemsCounter.increment(items);
    requestTimer.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Records a request that failed with the gRPC status {@code code} after {@code nanos}. */
  public void recordFailure(String code, long nanos) {
    fail.add(nanos);
    Counter.builder("maas.inference.request.failure")
        .description("Inference requests that failed")
        .tags(tags.and("code", code))
        .register(registry)
        .increment();
  }

  @Override
  public void onDequeued(long queueNanos) {
    queue.add(queueNanos);
    queueTimer.record(queueNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void onBatch(BatchTimings timings) {
    if (!timings.succeeded()) {
      return;
    }
    executionCount.increment();
    executionsCounter.increment();
    batchSize.record(timings.items());
    computeTimer.record(timings.inferNanos(), TimeUnit.NANOSECONDS);
    computeInput.add(timings.inputNanos());
    computeInfer.add(timings.inferNanos());
    computeOutput.add(timings.outputNanos());
    batches.computeIfAbsent(timings.items(), size -> new BatchSizeStatistics()).record(timings);
  }

  /** A consistent-enough copy of the counters, for the ModelStatistics rpc. */
  public Snapshot snapshot() {
    Map<Integer, BatchSizeSnapshot> perSize = new TreeMap<>();
    batches.forEach((size, stats) -> perSize.put(size, stats.snapshot()));
    return new Snapshot(
        lastInferenceMillis,
        inferenceCount.sum(),
        executionCount.sum(),
        success.snapshot(),
        fail.snapshot(),
        queue.snapshot(),
        computeInput.snapshot(),
        computeInfer.snapshot(),
        computeOutput.snapshot(),
        perSize);
  }

  /** Statistics as of one moment; durations as count and total nanoseconds. */
  public record Snapshot(
      long lastInferenceMillis,
      long inferenceCount,
      long executionCount,
      DurationSnapshot success,
      DurationSnapshot fail,
      DurationSnapshot queue,
      DurationSnapshot computeInput,
      DurationSnapshot computeInfer,
      DurationSnapshot computeOutput,
      Map<Integer, BatchSizeSnapshot> batches) {}

  /** A count of events and their total time. */
  public record DurationSnapshot(long count, long nanos) {}

  /** The timings of the batches of one size. */
  public record BatchSizeSnapshot(
      DurationSnapshot computeInput,
      DurationSnapshot computeInfer,
      DurationSnapshot computeOutput) {}

  private static final class Duration {
    private final LongAdder count = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    void add(long elapsed) {
      count.increment();
      nanos.add(elapsed);
    }

    DurationSnapshot snapshot() {
      return new DurationSnapshot(count.sum(), nanos.sum());
    }
  }

  private static final class BatchSizeStatistics {
    private final Duration input = new Duration();
    private final Duration infer = new Duration();
    private final Duration output = new Duration();

    void record(BatchTimings timings) {
      input.add(timings.inputNanos());
      infer.add(timings.inferNanos());
      output.add(timings.outputNanos());
    }

    BatchSizeSnapshot snapshot() {
      return new BatchSizeSnapshot(input.snapshot(), infer.snapshot(), output.snapshot());
    }
  }
}
