package dev.maas.worker.batching;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.maas.worker.tensor.HostTensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dynamic batcher of one loaded model version: queues requests, joins them into batches along
 * dimension 0, runs each batch on one of {@code instances} threads and hands every request its own
 * slice of the outputs.
 *
 * <p>A batch is dispatched when it holds {@code max_batch_size} items, when it reaches the largest
 * preferred size, or when its first request has waited {@code max_queue_delay}; whichever comes
 * first. Only requests whose non-batch dimensions agree are joined. {@link #schedule} never blocks:
 * a full queue fails at once. Requests that expire or are cancelled while queued leave without
 * running. If a batch of several requests fails, each request is run alone, so that one bad request
 * cannot fail the others.
 */
public final class DynamicBatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DynamicBatcher.class);

  private final String name;
  private final BatchingConfig config;
  private final BatchExecutor executor;
  private final BatchObserver observer;
  private final long maxDelayNanos;
  private final List<Thread> threads = new ArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  @GuardedBy("lock")
  private final ArrayDeque<InferenceTask> queue = new ArrayDeque<>();

  @GuardedBy("lock")
  private boolean closed;

  /**
   * Starts the batch threads.
   *
   * @param name names the model version in errors, logs and thread names
   */
  public DynamicBatcher(
      String name, BatchingConfig config, BatchExecutor executor, BatchObserver observer) {
    this.name = name;
    this.config = config;
    this.executor = executor;
    this.observer = observer;
    this.maxDelayNanos = TimeUnit.MICROSECONDS.toNanos(config.maxQueueDelayMicros());
    for (int i = 0; i < config.instances(); i++) {
      Thread thread = new Thread(this::runLoop, "batch-" + name + "-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  /** The configuration this batcher runs with. */
  public BatchingConfig config() {
    return config;
  }

  /**
   * Queues a request and returns at once; the task's future completes when it has run.
   *
   * @throws QueueFullException when {@code max_queue_size} requests already wait
   * @throws BatcherClosedException when the batcher is closing
   */
  public void schedule(InferenceTask task) {
    if (task.items() > config.batchLimit()) {
      throw new IllegalArgumentException(
          "a request of " + task.items() + " items exceeds the batch limit " + config.batchLimit());
    }
    lock.lock();
    try {
      if (closed) {
        throw new BatcherClosedException(name);
      }
      if (queue.size() >= config.maxQueueSize()) {
        // Withdrawn requests leave the queue lazily; make room from them before refusing.
        dropFinished(System.nanoTime());
        if (queue.size() >= config.maxQueueSize()) {
          throw new QueueFullException(name, config.maxQueueSize());
        }
      }
      task.markEnqueued(System.nanoTime());
      queue.addLast(task);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Requests waiting now, not counting those withdrawn while they waited. */
  public int queuedRequests() {
    lock.lock();
    try {
      dropFinished(System.nanoTime());
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops taking requests, runs every request already queued, and waits for the batch threads to
   * finish.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void runLoop() {
    try {
      List<InferenceTask> batch;
      while ((batch = nextBatch()) != null) {
        runBatch(batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for the next batch to be due and takes it; null once closed and drained. */
  private List<InferenceTask> nextBatch() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        dropFinished(System.nanoTime());
        if (queue.isEmpty()) {
          if (closed) {
            return null;
          }
          changed.await();
          continue;
        }
        long waitNanos = dispatchWaitNanos();
        if (waitNanos <= 0) {
          return takeBatch();
        }
        changed.awaitNanos(waitNanos);
      }
    } finally {
      lock.unlock();
    }
  }

  /** How long the head batch should still wait for more requests; 0 or less means dispatch now. */
  @GuardedBy("lock")
  private long dispatchWaitNanos() {
    if (!config.batching() || closed) {
      return 0;
    }
    int items = joinableItems();
    int largestPreferred = config.largestPreferred();
    if (items >= config.batchLimit() || (largestPreferred > 0 && items >= largestPreferred)) {
      return 0;
    }
    return queue.peekFirst().enqueuedNanos() + maxDelayNanos - System.nanoTime();
  }

  /** Items of the requests at the head of the queue that could join one batch now. */
  @GuardedBy("lock")
  private int joinableItems() {
    InferenceTask head = queue.peekFirst();
    int items = 0;
    for (InferenceTask task : queue) {
      if (!task.concatenatesWith(head) || items + task.items() > config.batchLimit()) {
        break;
      }
      items += task.items();
    }
    return items;
  }

  /** Removes the head batch: joinable requests up to the limit or the preferred size reached. */
  @GuardedBy("lock")
  private List<InferenceTask> takeBatch() {
    InferenceTask head = queue.peekFirst();
    if (!config.batching()) {
      return List.of(queue.pollFirst());
    }
    int joinable = joinableItems();
    int preferred = config.largestPreferredAtMost(joinable);
    int limit = preferred > 0 && joinable < config.batchLimit() ? preferred : joinable;
    List<InferenceTask> batch = new ArrayList<>();
    int items = 0;
    while (!queue.isEmpty()) {
      InferenceTask task = queue.peekFirst();
      if (!task.concatenatesWith(head) || items + task.items() > limit) {
        break;
      }
      batch.add(queue.pollFirst());
      items += task.items();
    }
    if (batch.isEmpty()) {
      batch.add(queue.pollFirst());
    }
    return batch;
  }

  /** Drops requests that were cancelled, or whose deadline passed, while they waited. */
  @GuardedBy("lock")
  private void dropFinished(long nowNanos) {
    for (Iterator<InferenceTask> it = queue.iterator(); it.hasNext(); ) {
      InferenceTask task = it.next();
      if (task.isExpired(nowNanos)) {
        task.result()
            .completeExceptionally(
                new RequestExpiredException(RequestExpiredException.Reason.DEADLINE_EXCEEDED));
      }
      if (task.isDone()) {
        it.remove();
      }
    }
  }

  private void runBatch(List<InferenceTask> tasks) {
    long now = System.nanoTime();
    for (InferenceTask task : tasks) {
      observer.onDequeued(now - task.enqueuedNanos());
    }
    try {
      complete(tasks, execute(tasks));
    } catch (Throwable e) {
      // Errors too: a batch thread that died would leave its version READY with nothing running.
      if (tasks.size() == 1) {
        tasks.get(0).result().completeExceptionally(e);
        return;
      }
      log.debug("batch of {} requests on {} failed; running each alone", tasks.size(), name, e);
      for (InferenceTask task : tasks) {
        try {
          complete(List.of(task), execute(List.of(task)));
        } catch (Throwable alone) {
          task.result().completeExceptionally(alone);
        }
      }
    }
  }

  private static void complete(List<InferenceTask> tasks, List<List<HostTensor>> outputs) {
    for (int i = 0; i < tasks.size(); i++) {
      tasks.get(i).result().complete(outputs.get(i));
    }
  }

  private List<List<HostTensor>> execute(List<InferenceTask> tasks) {
    int items = tasks.stream().mapToInt(InferenceTask::items).sum();
    long start = System.nanoTime();
    List<HostTensor> inputs = BatchAssembler.concatenate(tasks);
    long inputDone = System.nanoTime();
    boolean succeeded = false;
    long inferDone = inputDone;
    try {
      List<HostTensor> outputs = executor.run(inputs);
      inferDone = System.nanoTime();
      List<List<HostTensor>> split = BatchAssembler.split(outputs, tasks);
      succeeded = true;
      return split;
    } finally {
      long end = System.nanoTime();
      observer.onBatch(
          new BatchObserver.BatchTimings(
              items,
              tasks.size(),
              inputDone - start,
              inferDone - inputDone,
              succeeded ? end - inferDone : 0,
              succeeded));
    }
  }
}
