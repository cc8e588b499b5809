package dev.maas.worker.lifecycle;

import dev.maas.worker.batching.BatchingConfig;
import dev.maas.worker.batching.DynamicBatcher;
import dev.maas.worker.metrics.VersionStatistics;
import dev.maas.worker.tensor.ModelSignature;
import java.util.Optional;

/**
 * One version of a model as the worker holds it: its state and, once ready, its signature, batcher
 * and statistics. State changes are published through volatile fields; the request path reads them
 * without locking.
 */
public final class ModelVersion {

  private final String model;
  private final long version;
  private final String fingerprint;
  private volatile VersionState state;
  private volatile String reason;
  private volatile Serving serving;
  private volatile String failedFingerprint = "";

  private record Serving(
      LoadedModel loaded,
      DynamicBatcher batcher,
      VersionStatistics statistics,
      boolean allowsNonFiniteInputs) {}

  private ModelVersion(
      String model, long version, String fingerprint, VersionState state, String reason) {
    this.model = model;
    this.version = version;
    this.fingerprint = fingerprint;
    this.state = state;
    this.reason = reason;
  }

  static ModelVersion loading(String model, long version, String fingerprint) {
    return new ModelVersion(model, version, fingerprint, VersionState.LOADING, "");
  }

  static ModelVersion failed(String model, long version, String fingerprint, String reason) {
    return new ModelVersion(model, version, fingerprint, VersionState.UNAVAILABLE, reason);
  }

  /** The model's name. */
  public String model() {
    return model;
  }

  /** The version number. */
  public long version() {
    return version;
  }

  /** The version number as the protocol writes it. */
  public String label() {
    return Long.toString(version);
  }

  String fingerprint() {
    return fingerprint;
  }

  /** The current state. */
  public VersionState state() {
    return state;
  }

  /** Why the version is in its state: a load failure, or empty. */
  public String reason() {
    return reason;
  }

  /** Whether the version takes requests. */
  public boolean isReady() {
    return state == VersionState.READY;
  }

  /** The signature, once loaded. */
  public Optional<ModelSignature> signature() {
    Serving current = serving;
    return current == null ? Optional.empty() : Optional.of(current.loaded.signature());
  }

  /**
   * The batcher of a loaded version.
   *
   * @throws IllegalStateException when the version never loaded
   */
  public DynamicBatcher batcher() {
    return requireServing().batcher;
  }

  /** The batching settings of a loaded version. */
  public BatchingConfig batching() {
    return requireServing().batcher.config();
  }

  /** Whether a loaded version's config lets FP32 and FP64 inputs hold NaN and ±Inf. */
  public boolean allowsNonFiniteInputs() {
    return requireServing().allowsNonFiniteInputs;
  }

  /** The statistics of a loaded version. */
  public Optional<VersionStatistics> statistics() {
    Serving current = serving;
    return current == null ? Optional.empty() : Optional.of(current.statistics);
  }

  void markReady(
      LoadedModel loaded,
      DynamicBatcher batcher,
      VersionStatistics statistics,
      boolean allowsNonFiniteInputs) {
    serving = new Serving(loaded, batcher, statistics, allowsNonFiniteInputs);
    reason = "";
    state = VersionState.READY;
  }

  void markFailed(String why, String fingerprint) {
    reason = why;
    failedFingerprint = fingerprint;
    state = VersionState.UNAVAILABLE;
  }

  /** Notes a reload that failed while this version keeps serving; those files are not retried. */
  void noteReloadFailure(String why, String fingerprint) {
    reason = "reload failed, still serving the previous load: " + why;
    failedFingerprint = fingerprint;
  }

  /** Forgets a failed reload once the files on disk are those of the serving load again. */
  void clearReloadFailure() {
    if (state == VersionState.READY && !failedFingerprint.isEmpty()) {
      failedFingerprint = "";
      reason = "";
    }
  }

  /** The fingerprint of the files that last failed to load, or empty. */
  String failedFingerprint() {
    return failedFingerprint;
  }

  /** Stops taking requests, runs those queued, then releases the runtime. */
  void unload() throws Exception {
    state = VersionState.UNLOADING;
    Serving current = serving;
    if (current != null) {
      current.batcher.close();
      current.loaded.resources().close();
    }
  }

  private Serving requireServing() {
    Serving current = serving;
    if (current == null) {
      throw new IllegalStateException("model " + model + " version " + version + " is not loaded");
    }
    return current;
  }
}
