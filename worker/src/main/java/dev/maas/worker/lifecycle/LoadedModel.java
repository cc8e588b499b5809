package dev.maas.worker.lifecycle;

import dev.maas.worker.batching.BatchExecutor;
import dev.maas.worker.tensor.ModelSignature;

/**
 * A model version loaded into a runtime.
 *
 * @param signature the served signature's inputs and outputs
 * @param executor runs batches on the loaded model; thread-safe
 * @param resources released when the version unloads
 */
public record LoadedModel(
    ModelSignature signature, BatchExecutor executor, AutoCloseable resources) {}
