package dev.maas.sdk.admin;

import java.util.List;

/**
 * Dynamic batching of a deployment on each replica; 0 in a field asks for the server's default.
 *
 * @param maxBatchSize largest batch in items; 0 turns batching off
 * @param maxQueueDelayMicros how long a batch waits for more requests after its first
 * @param preferredBatchSizes batch sizes dispatched as soon as reached
 * @param maxQueueSize requests that may wait before more are refused (0: 1024)
 * @param instanceCount batches run in parallel on one replica (0: 1)
 */
public record Batching(
    int maxBatchSize,
    long maxQueueDelayMicros,
    List<Integer> preferredBatchSizes,
    int maxQueueSize,
    int instanceCount) {

  /** Copies the preferred sizes. */
  public Batching {
    preferredBatchSizes = List.copyOf(preferredBatchSizes);
  }

  /** No batching: every request runs on its own. */
  public static Batching none() {
    return new Batching(0, 0, List.of(), 0, 0);
  }

  /** Batches of up to {@code maxBatchSize} items, waiting up to {@code delayMicros} for more. */
  public static Batching of(int maxBatchSize, long delayMicros) {
    return new Batching(maxBatchSize, delayMicros, List.of(), 0, 0);
  }
}
