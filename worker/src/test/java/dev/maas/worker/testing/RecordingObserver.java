package dev.maas.worker.testing;

import dev.maas.worker.batching.BatchObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Keeps what a batcher reports: every batch's timings and how many requests left the queue. */
public final class RecordingObserver implements BatchObserver {

  private final List<BatchTimings> batches = new CopyOnWriteArrayList<>();
  private final AtomicInteger dequeued = new AtomicInteger();

  @Override
  public void onDequeued(long queueNanos) {
    dequeued.incrementAndGet();
  }

  @Override
  public void onBatch(BatchTimings timings) {
    batches.add(timings);
  }

  /** Every batch reported, in order. */
  public List<BatchTimings> batches() {
    return new ArrayList<>(batches);
  }

  /** Requests that left the queue to run. */
  public int dequeued() {
    return dequeued.get();
  }
}
