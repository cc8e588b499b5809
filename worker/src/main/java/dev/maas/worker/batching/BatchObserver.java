package dev.maas.worker.batching;

/** Receives the timings of a {@link DynamicBatcher}; called on batch threads, must not block. */
public interface BatchObserver {

  /** Ignores everything. */
  BatchObserver NONE =
      new BatchObserver() {
        @Override
        public void onDequeued(long queueNanos) {}

        @Override
        public void onBatch(BatchTimings timings) {}
      };

  /** A request left the queue to run, after waiting {@code queueNanos}. */
  void onDequeued(long queueNanos);

  /** A batch ran (successfully or not). */
  void onBatch(BatchTimings timings);

  /**
   * What one batch took.
   *
   * @param items the sum of the requests' dimension 0
   * @param requests how many requests the batch joined
   * @param inputNanos time spent concatenating inputs
   * @param inferNanos time spent in the model
   * @param outputNanos time spent splitting outputs back to the requests
   * @param succeeded whether the model ran without error
   */
  record BatchTimings(
      int items,
      int requests,
      long inputNanos,
      long inferNanos,
      long outputNanos,
      boolean succeeded) {}
}
