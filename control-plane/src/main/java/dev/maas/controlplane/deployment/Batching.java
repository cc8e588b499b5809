package dev.maas.controlplane.deployment;

import java.util.List;

/**
 * Dynamic batching on each replica of a deployment, with the meanings of a worker's config.json.
 *
 * @param maxBatchSize largest batch in items; 0 turns batching off
 * @param maxQueueDelayMicroseconds how long a batch waits for more requests after its first
 * @param preferredBatchSizes batch sizes dispatched as soon as reached
 * @param maxQueueSize requests that may wait before more are refused
 * @param instanceCount batches run in parallel on one replica
 */
public record Batching(
    int maxBatchSize,
    long maxQueueDelayMicroseconds,
    List<Integer> preferredBatchSizes,
    int maxQueueSize,
    int instanceCount) {

  /** Requests that may wait when the request leaves {@code max_queue_size} at 0. */
  public static final int DEFAULT_MAX_QUEUE_SIZE = 1024;

  public Batching {
    preferredBatchSizes = List.copyOf(preferredBatchSizes);
  }
}
