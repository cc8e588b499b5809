package dev.maas.worker.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchingConfigTest {

  @Test
  void preferredBatchSizesAreKeptSorted() {
    BatchingConfig config = new BatchingConfig(16, 100, List.of(8, 2, 4), 10, 2);

    assertThat(config.preferredBatchSizes()).containsExactly(2, 4, 8);
    assertThat(config.largestPreferred()).isEqualTo(8);
    assertThat(config.largestPreferredAtMost(5)).isEqualTo(4);
    assertThat(config.largestPreferredAtMost(1)).isZero();
  }

  @Test
  void maxBatchSizeOfZeroOrOne_disablesBatching() {
    assertThat(new BatchingConfig(0, 0, List.of(), 1, 1).batching()).isFalse();
    assertThat(new BatchingConfig(1, 0, List.of(), 1, 1).batching()).isFalse();
    assertThat(new BatchingConfig(2, 0, List.of(), 1, 1).batching()).isTrue();
    assertThat(BatchingConfig.unbatched().batchLimit()).isEqualTo(1);
    assertThat(BatchingConfig.unbatched().maxQueueSize())
        .isEqualTo(BatchingConfig.DEFAULT_MAX_QUEUE_SIZE);
  }

  @Test
  void negativeMaxBatchSize_isRejected() {
    assertThatThrownBy(() -> new BatchingConfig(-1, 0, List.of(), 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max_batch_size");
  }

  @Test
  void negativeQueueDelay_isRejected() {
    assertThatThrownBy(() -> new BatchingConfig(8, -1, List.of(), 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max_queue_delay_microseconds");
  }

  @Test
  void queueOfNoRequests_isRejected() {
    assertThatThrownBy(() -> new BatchingConfig(8, 0, List.of(), 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max_queue_size");
  }

  @Test
  void noInstances_isRejected() {
    assertThatThrownBy(() -> new BatchingConfig(8, 0, List.of(), 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("instance_count");
  }

  @Test
  void preferredSizeAboveMaxBatchSize_isRejected() {
    assertThatThrownBy(() -> new BatchingConfig(8, 0, List.of(4, 16), 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("preferred_batch_size 16");
  }

  @Test
  void preferredSizeBelowOne_isRejected() {
    assertThatThrownBy(() -> new BatchingConfig(8, 0, List.of(0), 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("preferred_batch_size 0");
  }
}
