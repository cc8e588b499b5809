package dev.maas.worker.batching;

import dev.maas.worker.tensor.HostTensor;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One request waiting in a {@link DynamicBatcher}: its inputs, how many items it adds to a batch,
 * its deadline, and the future that receives its own slice of the outputs.
 *
 * <p>The future completes exactly once: with the outputs, or with {@link RequestExpiredException}
 * when the deadline passes or the caller cancels before the request runs, or with the error of the
 * batch.
 */
public final class InferenceTask {

  /** Deadline of a task that never expires. */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  private final List<HostTensor> inputs;
  private final int items;
  private final long deadlineNanos;
  private final long[][] rowShapes;
  private final CompletableFuture<List<HostTensor>> result = new CompletableFuture<>();
  private volatile long enqueuedNanos;

  private InferenceTask(List<HostTensor> inputs, int items, long deadlineNanos) {
    this.inputs = List.copyOf(inputs);
    this.items = items;
    this.deadlineNanos = deadlineNanos;
    this.rowShapes = new long[inputs.size()][];
    for (int i = 0; i < rowShapes.length; i++) {
      long[] shape = inputs.get(i).shape();
      rowShapes[i] = shape.length == 0 ? shape : Arrays.copyOfRange(shape, 1, shape.length);
    }
  }

  /**
   * A task for validated inputs in the signature's input order.
   *
   * @param items the request's size along dimension 0 (1 for a model that does not batch)
   * @param deadlineNanos a {@link System#nanoTime()} after which the request must not run, or
   *     {@link #NO_DEADLINE}
   */
  public static InferenceTask of(List<HostTensor> inputs, int items, long deadlineNanos) {
    if (items < 0) {
      throw new IllegalArgumentException("items must be >= 0, got " + items);
    }
    return new InferenceTask(inputs, items, deadlineNanos);
  }

  /** The inputs, in the signature's input order. */
  public List<HostTensor> inputs() {
    return inputs;
  }

  /** Items this request adds to a batch. */
  public int items() {
    return items;
  }

  /** Completes with this request's outputs, in the signature's output order. */
  public CompletableFuture<List<HostTensor>> result() {
    return result;
  }

  /** Withdraws the request: if it has not run yet it never will. */
  public void cancel() {
    result.completeExceptionally(
        new RequestExpiredException(RequestExpiredException.Reason.CANCELLED));
  }

  /** Whether the future is already complete (cancelled, expired, failed or answered). */
  boolean isDone() {
    return result.isDone();
  }

  boolean isExpired(long nowNanos) {
    return deadlineNanos != NO_DEADLINE && nowNanos - deadlineNanos >= 0;
  }

  void markEnqueued(long nowNanos) {
    enqueuedNanos = nowNanos;
  }

  long enqueuedNanos() {
    return enqueuedNanos;
  }

  /** Whether this task's inputs can be concatenated with {@code other}'s along dimension 0. */
  boolean concatenatesWith(InferenceTask other) {
    return Arrays.deepEquals(rowShapes, other.rowShapes);
  }
}
