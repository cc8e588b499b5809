package dev.maas.worker.lifecycle;

import dev.maas.worker.batching.BatchingConfig;
import dev.maas.worker.batching.DynamicBatcher;
import dev.maas.worker.metrics.VersionStatistics;
import dev.maas.worker.metrics.WorkerMetrics;
import dev.maas.worker.repository.ModelConfig;
import dev.maas.worker.repository.ModelEntry;
import dev.maas.worker.repository.ModelRepository;
import dev.maas.worker.repository.VersionDirectory;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link ModelRegistry} in line with the model repository: loads and warms up new
 * versions before they take traffic, then unloads the versions they replace; retries a failed
 * version when its files change; never lets a failed load replace a serving version.
 *
 * <p>All changes happen on one thread, one pass at a time.
 */
public final class ModelLifecycle implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ModelLifecycle.class);

  private final ModelRepository repository;
  private final ModelRegistry registry;
  private final ModelLoader loader;
  private final WorkerMetrics metrics;
  private final Runnable onChange;
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "model-repository-poller");
            thread.setDaemon(true);
            return thread;
          });
  private volatile boolean scanned;

  /**
   * @param onChange called after every pass, on the lifecycle's thread
   */
  public ModelLifecycle(
      ModelRepository repository,
      ModelRegistry registry,
      ModelLoader loader,
      WorkerMetrics metrics,
      Runnable onChange) {
    this.repository = repository;
    this.registry = registry;
    this.loader = loader;
    this.metrics = metrics;
    this.onChange = onChange;
  }

  /** Runs a first pass now and then one every {@code interval}. */
  public void start(Duration interval) {
    poller.scheduleWithFixedDelay(this::pollSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether a first pass over the repository has finished. */
  public boolean hasScanned() {
    return scanned;
  }

  /** One pass: brings every model in line with the repository as it is now. */
  public synchronized void reconcile() {
    try {
      Set<String> present = new HashSet<>();
      for (ModelEntry entry : repository.scan()) {
        present.add(entry.name());
        reconcileModel(entry);
      }
      for (ServedModel model : registry.models()) {
        if (!present.contains(model.name())) {
          log.info("model {} left the repository; unloading it", model.name());
          for (ModelVersion version : model.versions()) {
            unload(model, version);
          }
          registry.remove(model.name());
        }
      }
    } catch (UncheckedIOException e) {
      log.warn("cannot read the model repository; serving what is loaded: {}", e.getMessage());
    }
    scanned = true;
    onChange.run();
  }

  private void pollSafely() {
    try {
      reconcile();
    } catch (Throwable e) {
      // Anything escaping here would cancel every later poll without a word.
      log.error("model repository pass failed", e);
    }
  }

  private void reconcileModel(ModelEntry entry) {
    ServedModel model = registry.getOrCreate(entry.name());
    Optional<String> problem = entry.configProblem();
    model.setProblem(problem.orElse(""));
    if (problem.isPresent()) {
      return;
    }
    ModelConfig config = entry.config();
    SortedSet<Long> wanted = config.versionPolicy().select(entry.versions().navigableKeySet());
    for (long number : wanted) {
      VersionDirectory directory = entry.versions().get(number);
      Optional<ModelVersion> held = model.version(number);
      if (held.isEmpty()) {
        ModelVersion version = ModelVersion.loading(entry.name(), number, directory.fingerprint());
        model.put(version);
        load(version, directory, config);
      } else if (!held.get().fingerprint().equals(directory.fingerprint())) {
        replace(model, held.get(), directory, config);
      } else {
        held.get().clearReloadFailure();
      }
    }
    boolean wantedReady =
        wanted.stream().anyMatch(n -> model.version(n).map(ModelVersion::isReady).orElse(false));
    for (ModelVersion version : model.versions()) {
      boolean gone = !entry.versions().containsKey(version.version());
      boolean failed = version.state() == VersionState.UNAVAILABLE;
      if (!wanted.contains(version.version()) && (gone || failed || wantedReady)) {
        unload(model, version);
      }
    }
  }

  /** Loads changed files of a held version; on failure the held one keeps serving. */
  private void replace(
      ServedModel model, ModelVersion held, VersionDirectory directory, ModelConfig config) {
    if (directory.fingerprint().equals(held.failedFingerprint())) {
      return;
    }
    ModelVersion fresh =
        ModelVersion.loading(model.name(), held.version(), directory.fingerprint());
    if (!held.isReady()) {
      model.put(fresh);
      load(fresh, directory, config);
      return;
    }
    log.info("model {} version {} changed on disk; reloading it", model.name(), held.label());
    load(fresh, directory, config);
    if (fresh.isReady()) {
      model.put(fresh);
      unloadQuietly(held);
    } else {
      held.noteReloadFailure(fresh.reason(), directory.fingerprint());
    }
  }

  private void load(ModelVersion version, VersionDirectory directory, ModelConfig config) {
    long start = System.nanoTime();
    LoadedModel loaded = null;
    try {
      loaded = loader.load(directory.path(), config.signatureName());
      BatchingConfig batching = config.batchingFor(loaded.signature().supportsBatching());
      List<Integer> warmup = config.warmupFor(batching.maxBatchSize()).batchSizes();
      if (!warmup.contains(1)) {
        // One run even with warm-up off: a graph can load and still not run (variables missing).
        loaded.executor().run(WarmupInputs.zeros(loaded.signature(), 1));
      }
      for (int size : warmup) {
        loaded.executor().run(WarmupInputs.zeros(loaded.signature(), size));
      }
      VersionStatistics statistics = metrics.forVersion(version.model(), version.label());
      DynamicBatcher batcher =
          new DynamicBatcher(
              version.model() + "-" + version.label(), batching, loaded.executor(), statistics);
      version.markReady(loaded, batcher, statistics, config.allowNonFiniteInputs());
      log.info(
          "model {} version {} ready in {} ms ({})",
          version.model(),
          version.label(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
          batching);
    } catch (Exception | Error e) {
      String reason = reasonOf(e);
      log.warn("model {} version {} failed to load: {}", version.model(), version.label(), reason);
      closeQuietly(loaded);
      version.markFailed(reason, directory.fingerprint());
    }
  }

  private void unload(ServedModel model, ModelVersion version) {
    model.remove(version);
    if (version.state() != VersionState.UNAVAILABLE) {
      log.info("unloading model {} version {}", model.name(), version.label());
    }
    unloadQuietly(version);
  }

  private static void unloadQuietly(ModelVersion version) {
    try {
      version.unload();
    } catch (Exception e) {
      log.warn("unloading model {} version {} failed", version.model(), version.label(), e);
    }
  }

  private static void closeQuietly(LoadedModel loaded) {
    if (loaded == null) {
      return;
    }
    try {
      loaded.resources().close();
    } catch (Exception e) {
      log.warn("releasing a model that failed to load failed", e);
    }
  }

  /** The messages of an exception and its causes, for a person reading a model's state. */
  static String reasonOf(Throwable e) {
    StringBuilder reason = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (reason.indexOf(message) < 0) {
        reason.append(reason.length() == 0 ? "" : ": ").append(message);
      }
    }
    return reason.toString();
  }

  /** Stops polling and unloads every version, letting queued requests finish first. */
  @Override
  public synchronized void close() {
    poller.shutdownNow();
    for (ServedModel model : registry.models()) {
      for (ModelVersion version : model.versions()) {
        unload(model, version);
      }
      registry.remove(model.name());
    }
  }
}
