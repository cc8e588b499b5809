package dev.maas.worker.cluster;

import dev.maas.proto.cluster.v1.AssignmentSet;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies assignment sets to the {@link ClusterModelSource} on a thread of its own, so a slow
 * download never holds up a heartbeat or the stream. Sets that arrive while one is applied collapse
 * into the newest; a set whose downloads failed for a passing reason is applied again after a
 * jittered backoff, unless a newer set came meanwhile.
 */
final class AssignmentApplier implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AssignmentApplier.class);

  private final ClusterModelSource source;
  private final Runnable afterApply;
  private final Backoff retryBackoff;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(ClusterAgent.daemon("cluster-assignments"));

  /** The newest set not yet taken by the applier thread. */
  private final AtomicReference<AssignmentSet> pending = new AtomicReference<>();

  /** The set last applied; a retry of an older one is dropped. Applier thread only. */
  private AssignmentSet applied;

  private volatile boolean closed;

  /**
   * @param afterApply runs on the applier thread after every set applied, as to report the new
   *     placement states at once
   */
  AssignmentApplier(ClusterModelSource source, Runnable afterApply, Backoff retryBackoff) {
    this.source = source;
    this.afterApply = afterApply;
    this.retryBackoff = retryBackoff;
  }

  /** Queues a set to apply; returns at once. Any thread. */
  void offer(AssignmentSet set) {
    if (pending.getAndSet(set) == null) {
      run(this::applyPending, Duration.ZERO);
    }
  }

  private void applyPending() {
    AssignmentSet set = pending.getAndSet(null);
    if (set == null) {
      return;
    }
    applied = set;
    boolean complete;
    try {
      complete = source.apply(set);
    } catch (RuntimeException e) {
      log.error("applying assignment set {} failed", set.getGeneration(), e);
      complete = false;
    }
    afterApply.run();
    if (complete) {
      retryBackoff.reset();
    } else {
      run(() -> retry(set), retryBackoff.next());
    }
  }

  private void retry(AssignmentSet set) {
    if (applied == set && pending.compareAndSet(null, set)) {
      applyPending();
    }
  }

  private void run(Runnable task, Duration delay) {
    if (closed) {
      return;
    }
    try {
      thread.schedule(
          () -> {
            if (!closed) {
              task.run();
            }
          },
          delay.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopped) {
      // closing
    }
  }

  /** Stops applying; waits a little for a set being applied now. */
  @Override
  public void close() {
    closed = true;
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
