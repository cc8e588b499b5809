package dev.maas.worker.lifecycle;

import java.nio.file.Path;

/** Loads a SavedModel directory into a runtime. */
@FunctionalInterface
public interface ModelLoader {

  /**
   * Loads the version in {@code directory}, serving {@code signatureName}.
   *
   * @throws Exception whose message says, for a person, why the version cannot be loaded
   */
  LoadedModel load(Path directory, String signatureName) throws Exception;
}
