package dev.maas.sdk;

import java.util.List;
import java.util.Objects;

/**
 * What a model takes and returns, as the server describes it.
 *
 * @param name the model's name
 * @param versions the versions the server names for it
 * @param platform the runtime, such as {@code tensorflow_savedmodel}
 * @param inputs the inputs
 * @param outputs the outputs
 */
public record ModelMetadata(
    String name,
    List<String> versions,
    String platform,
    List<TensorSpec> inputs,
    List<TensorSpec> outputs) {

  /** Copies the lists. */
  public ModelMetadata {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(platform, "platform");
    versions = List.copyOf(versions);
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /**
   * The input of that name.
   *
   * @throws IllegalArgumentException when there is none
   */
  public TensorSpec input(String inputName) {
    return inputs.stream()
        .filter(t -> t.name().equals(inputName))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "model " + name + " has no input '" + inputName + "'"));
  }
}
