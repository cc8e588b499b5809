package dev.maas.worker.repository;

import dev.maas.worker.batching.BatchingConfig;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How the worker serves one model of the repository, read from {@code <model>/config.json}.
 *
 * @param versionPolicy which versions to serve
 * @param signatureName the SavedModel signature to serve
 * @param maxBatchSize the largest batch in items; empty means {@link #DEFAULT_MAX_BATCH_SIZE} when
 *     the signature can batch and 0 when it cannot
 * @param maxQueueDelayMicros how long a batch waits for more requests
 * @param preferredBatchSizes batch sizes dispatched without waiting
 * @param maxQueueSize requests that may wait before new ones are refused
 * @param instances batches run in parallel
 * @param warmup the warm-up runs; empty means batch 1 and the largest batch
 * @param allowNonFiniteInputs whether FP32 and FP64 inputs may hold NaN and ±Inf; when false such a
 *     request is refused before it reaches TensorFlow
 */
public record ModelConfig(
    VersionPolicy versionPolicy,
    String signatureName,
    OptionalInt maxBatchSize,
    long maxQueueDelayMicros,
    List<Integer> preferredBatchSizes,
    int maxQueueSize,
    int instances,
    Optional<WarmupConfig> warmup,
    boolean allowNonFiniteInputs) {

  /** The signature TensorFlow exports by default. */
  public static final String DEFAULT_SIGNATURE = "serving_default";

  /** Largest batch of a model whose signature can batch and whose config names none. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 32;

  public ModelConfig {
    preferredBatchSizes = List.copyOf(preferredBatchSizes);
  }

  /** The configuration of a model without config.json. */
  public static ModelConfig defaults() {
    return new ModelConfig(
        new VersionPolicy.Latest(1),
        DEFAULT_SIGNATURE,
        OptionalInt.empty(),
        0,
        List.of(),
        BatchingConfig.DEFAULT_MAX_QUEUE_SIZE,
        1,
        Optional.empty(),
        false);
  }

  /**
   * The batching settings for a loaded signature.
   *
   * @param signatureBatches whether every input and output has a variable dimension 0
   * @throws IllegalArgumentException when the settings do not fit the signature
   */
  public BatchingConfig batchingFor(boolean signatureBatches) {
    int maxBatch = maxBatchSize.orElse(signatureBatches ? DEFAULT_MAX_BATCH_SIZE : 0);
    if (maxBatch > 0 && !signatureBatches) {
      throw new IllegalArgumentException(
          "max_batch_size is "
              + maxBatch
              + " but the signature cannot batch: every input and output needs a variable"
              + " dimension 0 (set max_batch_size to 0)");
    }
    return new BatchingConfig(
        maxBatch, maxQueueDelayMicros, preferredBatchSizes, maxQueueSize, instances);
  }

  /** The warm-up batch sizes for a version that batches up to {@code maxBatch} items. */
  public WarmupConfig warmupFor(int maxBatch) {
    return warmup.orElseGet(
        () -> new WarmupConfig(maxBatch > 1 ? List.of(1, maxBatch) : List.of(1)));
  }
}
