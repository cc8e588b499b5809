package dev.maas.worker.batching;

import java.util.List;

/**
 * How one model version batches: the largest batch in items, how long the first queued request may
 * wait for others, the batch sizes worth waiting for, the queue bound in requests, and how many
 * batches run at once.
 *
 * @param maxBatchSize largest batch in items (sum of the requests' dimension 0); 0 or 1 disables
 *     batching, and each request then runs alone
 * @param maxQueueDelayMicros how long a batch may wait for more requests after its first arrived
 * @param preferredBatchSizes sizes dispatched at once when reached, without waiting for the delay
 * @param maxQueueSize requests that may wait; one more is refused at once
 * @param instances batches that run in parallel on the loaded model
 */
public record BatchingConfig(
    int maxBatchSize,
    long maxQueueDelayMicros,
    List<Integer> preferredBatchSizes,
    int maxQueueSize,
    int instances) {

  /** Queue bound when the configuration names none. */
  public static final int DEFAULT_MAX_QUEUE_SIZE = 1024;

  public BatchingConfig {
    preferredBatchSizes = preferredBatchSizes.stream().sorted().toList();
    if (maxBatchSize < 0) {
      throw new IllegalArgumentException("max_batch_size must be >= 0, got " + maxBatchSize);
    }
    if (maxQueueDelayMicros < 0) {
      throw new IllegalArgumentException(
          "max_queue_delay_microseconds must be >= 0, got " + maxQueueDelayMicros);
    }
    if (maxQueueSize < 1) {
      throw new IllegalArgumentException("max_queue_size must be >= 1, got " + maxQueueSize);
    }
    if (instances < 1) {
      throw new IllegalArgumentException("instance_count must be >= 1, got " + instances);
    }
    for (int size : preferredBatchSizes) {
      if (size < 1 || size > Math.max(1, maxBatchSize)) {
        throw new IllegalArgumentException(
            "preferred_batch_size "
                + size
                + " must lie in [1, max_batch_size="
                + maxBatchSize
                + "]");
      }
    }
  }

  /** Each request runs alone, one at a time. */
  public static BatchingConfig unbatched() {
    return new BatchingConfig(0, 0, List.of(), DEFAULT_MAX_QUEUE_SIZE, 1);
  }

  /** Whether requests are concatenated into batches. */
  public boolean batching() {
    return maxBatchSize > 1;
  }

  /** The largest number of items that may run together. */
  public int batchLimit() {
    return Math.max(1, maxBatchSize);
  }

  /** The largest preferred size not above {@code items}, or 0 when none is. */
  int largestPreferredAtMost(int items) {
    int best = 0;
    for (int size : preferredBatchSizes) {
      if (size <= items) {
        best = size;
      }
    }
    return best;
  }

  /** The largest preferred size, or 0 when none is configured. */
  int largestPreferred() {
    return preferredBatchSizes.isEmpty()
        ? 0
        : preferredBatchSizes.get(preferredBatchSizes.size() - 1);
  }
}
