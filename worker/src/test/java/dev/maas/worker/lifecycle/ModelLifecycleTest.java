package dev.maas.worker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.maas.worker.demo.DemoModels;
import dev.maas.worker.metrics.WorkerMetrics;
import dev.maas.worker.repository.ModelRepository;
import dev.maas.worker.runtime.SavedModelRuntime;
import dev.maas.worker.runtime.SessionSettings;
import dev.maas.worker.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@link ModelLifecycle} over a real repository, loading versions into TensorFlow. */
class ModelLifecycleTest {

  @TempDir Path root;

  private final ModelRegistry registry = new ModelRegistry();
  private final WorkerMetrics metrics = new WorkerMetrics();
  private final AtomicInteger passes = new AtomicInteger();
  private final List<Long> batchSizesRun = new CopyOnWriteArrayList<>();
  private ModelLifecycle lifecycle;

  @AfterEach
  void close() {
    if (lifecycle != null) {
      lifecycle.close();
    }
    metrics.close();
  }

  @Test
  void warmupRunsTheConfiguredBatchSizesBeforeTheVersionServes() {
    DemoModels.exportAffine(root.resolve("affine/1"), 2f, 1f);
    TestModels.writeConfig(root, "affine", "{\"warmup\": {\"batch_sizes\": [1, 3]}}");
    lifecycle = lifecycle(root, this::recordingTensorFlowLoad);

    lifecycle.reconcile();

    assertThat(version("affine", 1).state()).isEqualTo(VersionState.READY);
    assertThat(batchSizesRun).containsExactly(1L, 3L);
    assertThat(passes).hasValue(1);
    assertThat(lifecycle.hasScanned()).isTrue();
  }

  @Test
  void warmupDefaultsToOneAndTheLargestBatch() {
    DemoModels.exportAffine(root.resolve("affine/1"), 2f, 1f);
    TestModels.writeConfig(root, "affine", "{\"max_batch_size\": 6}");
    lifecycle = lifecycle(root, this::recordingTensorFlowLoad);

    lifecycle.reconcile();

    assertThat(batchSizesRun).containsExactly(1L, 6L);
  }

  @Test
  void unreadableRepository_keepsServingWhatIsLoaded() throws Exception {
    DemoModels.exportAffine(root.resolve("repository/affine/1"), 2f, 1f);
    Path repository = root.resolve("repository");
    lifecycle = lifecycle(repository, ModelLifecycleTest::tensorFlowLoad);
    lifecycle.reconcile();

    Files.move(repository, root.resolve("moved-away"));
    lifecycle.reconcile();

    assertThat(version("affine", 1).state()).isEqualTo(VersionState.READY);
    assertThat(passes).hasValue(2);
  }

  @Test
  void errorWhileLoadingOneVersion_doesNotStopPolling() {
    DemoModels.exportAffine(root.resolve("huge/1"), 2f, 1f);
    // The real loader, except that the "huge" model exhausts the heap while it loads.
    lifecycle =
        lifecycle(
            root,
            (directory, signature) -> {
              if (directory.startsWith(root.resolve("huge"))) {
                throw new OutOfMemoryError("Java heap space");
              }
              return tensorFlowLoad(directory, signature);
            });
    lifecycle.start(Duration.ofMillis(50));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> registry.model("huge").flatMap(m -> m.version(1)).isPresent());

    DemoModels.exportAffine(root.resolve("later/1"), 2f, 1f);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> registry.model("later").map(ServedModel::isReady).orElse(false));
    assertThat(version("huge", 1).state()).isEqualTo(VersionState.UNAVAILABLE);
    assertThat(lifecycle.hasScanned()).isTrue();
  }

  private ModelLifecycle lifecycle(Path repository, ModelLoader loader) {
    return new ModelLifecycle(
        new ModelRepository(repository), registry, loader, metrics, passes::incrementAndGet);
  }

  private ModelVersion version(String model, long number) {
    return registry.model(model).orElseThrow().version(number).orElseThrow();
  }

  private static LoadedModel tensorFlowLoad(Path directory, String signature) throws Exception {
    SavedModelRuntime runtime =
        SavedModelRuntime.load(directory, signature, SessionSettings.defaults());
    return new LoadedModel(runtime.signature(), runtime::run, runtime);
  }

  /** Loads with TensorFlow and records the batch size of every run, warm-up included. */
  private LoadedModel recordingTensorFlowLoad(Path directory, String signature) throws Exception {
    LoadedModel loaded = tensorFlowLoad(directory, signature);
    return new LoadedModel(
        loaded.signature(),
        inputs -> {
          batchSizesRun.add(inputs.get(0).dim(0));
          return loaded.executor().run(inputs);
        },
        loaded.resources());
  }
}
