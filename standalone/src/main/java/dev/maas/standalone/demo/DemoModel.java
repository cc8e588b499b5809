package dev.maas.standalone.demo;

import dev.maas.worker.demo.DemoModels;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A demo model the bootstrap uploads as version 1 and deploys, with the batching its {@code
 * config.json} has in the worker's demo repository.
 *
 * @param name the model's name in the demo tenant
 * @param exporter writes the SavedModel into a version directory that does not exist yet
 * @param maxBatchSize the deployment's largest batch; 0 leaves batching off
 * @param maxQueueDelayMicroseconds how long a batch waits for more requests after its first
 */
public record DemoModel(
    String name, Consumer<Path> exporter, int maxBatchSize, long maxQueueDelayMicroseconds) {

  /** The demo models: lenet, binary_classifier and affine (y = 2x + 1). */
  public static List<DemoModel> all() {
    // Batching as DemoModels writes it into config.json for its model repository.
    return List.of(
        new DemoModel(DemoModels.LENET, DemoModels::exportLenet, 32, 500),
        new DemoModel(DemoModels.BINARY_CLASSIFIER, DemoModels::exportBinaryClassifier, 64, 500),
        new DemoModel(DemoModels.AFFINE, dir -> DemoModels.exportAffine(dir, 2f, 1f), 0, 0));
  }
}
