package dev.maas.worker.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** A model of the repository and the versions the worker holds of it. */
public final class ServedModel {

  private final String name;
  private final ConcurrentSkipListMap<Long, ModelVersion> versions = new ConcurrentSkipListMap<>();
  private volatile String problem = "";

  ServedModel(String name) {
    this.name = name;
  }

  /** The model's name. */
  public String name() {
    return name;
  }

  /** Every version held, lowest first, in any state. */
  public List<ModelVersion> versions() {
    return new ArrayList<>(versions.values());
  }

  /** The version with this number, in any state. */
  public Optional<ModelVersion> version(long number) {
    return Optional.ofNullable(versions.get(number));
  }

  /** The highest ready version: the one a request without a version runs on. */
  public Optional<ModelVersion> defaultVersion() {
    for (Map.Entry<Long, ModelVersion> entry : versions.descendingMap().entrySet()) {
      if (entry.getValue().isReady()) {
        return Optional.of(entry.getValue());
      }
    }
    return Optional.empty();
  }

  /** Whether some version is ready. */
  public boolean isReady() {
    return defaultVersion().isPresent();
  }

  /** A problem of the model as a whole, such as an invalid config.json; empty when none. */
  public String problem() {
    return problem;
  }

  void setProblem(String problem) {
    this.problem = problem;
  }

  void put(ModelVersion version) {
    versions.put(version.version(), version);
  }

  void remove(ModelVersion version) {
    versions.remove(version.version(), version);
  }
}
