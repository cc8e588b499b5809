package dev.maas.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.worker.batching.BatchObserver.BatchTimings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class VersionStatisticsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final VersionStatistics statistics = new VersionStatistics(registry, "affine", "3");

  @Test
  void successfulBatchesCountAsExecutionsPerBatchSize() {
    statistics.onBatch(new BatchTimings(4, 2, 10, 100, 20, true));
    statistics.onBatch(new BatchTimings(4, 3, 10, 300, 20, true));
    statistics.onBatch(new BatchTimings(1, 1, 5, 50, 5, true));

    VersionStatistics.Snapshot snapshot = statistics.snapshot();

    assertThat(snapshot.executionCount()).isEqualTo(3);
    assertThat(snapshot.computeInfer()).isEqualTo(new VersionStatistics.DurationSnapshot(3, 450));
    assertThat(snapshot.batches()).containsOnlyKeys(1, 4);
    assertThat(snapshot.batches().get(4).computeInfer())
        .isEqualTo(new VersionStatistics.DurationSnapshot(2, 400));
    assertThat(registry.get("maas.inference.exec.count").tag("version", "3").counter().count())
        .isEqualTo(3);
    assertThat(registry.get("maas.inference.batch.size").summary().totalAmount()).isEqualTo(9);
  }

  @Test
  void failedBatchesAreNotExecutions() {
    statistics.onBatch(new BatchTimings(4, 2, 10, 100, 0, false));

    assertThat(statistics.snapshot().executionCount()).isZero();
    assertThat(statistics.snapshot().batches()).isEmpty();
  }

  @Test
  void requestsCountSuccessesItemsAndFailuresByCode() {
    statistics.onDequeued(1_000);
    statistics.recordSuccess(3, 5_000);
    statistics.recordSuccess(2, 7_000);
    statistics.recordFailure("UNAVAILABLE", 900);

    VersionStatistics.Snapshot snapshot = statistics.snapshot();

    assertThat(snapshot.inferenceCount()).isEqualTo(5);
    assertThat(snapshot.success()).isEqualTo(new VersionStatistics.DurationSnapshot(2, 12_000));
    assertThat(snapshot.fail()).isEqualTo(new VersionStatistics.DurationSnapshot(1, 900));
    assertThat(snapshot.queue()).isEqualTo(new VersionStatistics.DurationSnapshot(1, 1_000));
    assertThat(snapshot.lastInferenceMillis()).isPositive();
    assertThat(
            registry
                .get("maas.inference.request.failure")
                .tags("model", "affine", "code", "UNAVAILABLE")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get("maas.inference.count").counter().count()).isEqualTo(5);
  }
}
