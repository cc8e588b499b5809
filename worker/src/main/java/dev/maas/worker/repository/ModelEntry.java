package dev.maas.worker.repository;

import java.nio.file.Path;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One model directory as a scan found it.
 *
 * @param config the parsed config.json, or null when it is invalid
 * @param configError why config.json is invalid, or null
 * @param versions the version directories by version number
 */
public record ModelEntry(
    String name,
    Path directory,
    ModelConfig config,
    String configError,
    NavigableMap<Long, VersionDirectory> versions) {

  public ModelEntry {
    versions = Collections.unmodifiableNavigableMap(new TreeMap<>(versions));
  }

  /** Why the model cannot be served as configured, if it cannot. */
  public Optional<String> configProblem() {
    return Optional.ofNullable(configError);
  }
}
