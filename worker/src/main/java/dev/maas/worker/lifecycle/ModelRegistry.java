package dev.maas.worker.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The models the worker holds, by name. Read on the request path without locks; changed only by the
 * {@link ModelLifecycle}.
 */
public final class ModelRegistry {

  private final ConcurrentHashMap<String, ServedModel> models = new ConcurrentHashMap<>();

  /** The model with this name, if the worker holds it. */
  public Optional<ServedModel> model(String name) {
    return Optional.ofNullable(models.get(name));
  }

  /** Every model, sorted by name. */
  public List<ServedModel> models() {
    List<ServedModel> all = new ArrayList<>(models.values());
    all.sort((a, b) -> a.name().compareTo(b.name()));
    return all;
  }

  /**
   * The version a request runs on: the one asked for, or the highest ready one.
   *
   * @throws ModelNotFoundException when the model or the asked version is unknown
   * @throws ModelUnavailableException when the version exists but does not serve now
   */
  public ModelVersion resolve(String name, OptionalLong version) {
    ServedModel model = models.get(name);
    if (model == null) {
      throw new ModelNotFoundException("model '" + name + "' not found");
    }
    if (version.isPresent()) {
      ModelVersion chosen =
          model
              .version(version.getAsLong())
              .orElseThrow(
                  () ->
                      new ModelNotFoundException(
                          "version " + version.getAsLong() + " of model '" + name + "' not found"));
      if (!chosen.isReady()) {
        throw new ModelUnavailableException(
            "version "
                + chosen.label()
                + " of model '"
                + name
                + "' is not ready: "
                + describe(chosen));
      }
      return chosen;
    }
    return model
        .defaultVersion()
        .orElseThrow(
            () ->
                new ModelUnavailableException(
                    "model '" + name + "' has no ready version" + describeAll(model)));
  }

  ServedModel getOrCreate(String name) {
    return models.computeIfAbsent(name, ServedModel::new);
  }

  void remove(String name) {
    models.remove(name);
  }

  private static String describe(ModelVersion version) {
    String reason = version.reason();
    return version.state() + (reason.isEmpty() ? "" : " (" + reason + ")");
  }

  private static String describeAll(ServedModel model) {
    if (!model.problem().isEmpty()) {
      return ": " + model.problem();
    }
    List<ModelVersion> versions = model.versions();
    if (versions.isEmpty()) {
      return ": no version directory found";
    }
    return versions.stream()
        .map(v -> "version " + v.label() + " " + describe(v))
        .collect(Collectors.joining("; ", ": ", ""));
  }
}
