package dev.maas.sdk;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The answer to an inference call.
 *
 * @param model the model's name, as the caller sent it
 * @param version the version that ran
 * @param id the request id, as the caller sent it
 * @param outputs the output tensors
 */
public record InferResult(String model, String version, String id, List<Tensor> outputs) {

  /** Copies the outputs. */
  public InferResult {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(id, "id");
    outputs = List.copyOf(outputs);
  }

  /**
   * The output of that name.
   *
   * @throws IllegalArgumentException when there is none, naming the outputs there are
   */
  public Tensor output(String name) {
    return outputs.stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no output '"
                        + name
                        + "'; the result has "
                        + outputs.stream().map(Tensor::name).collect(Collectors.joining(", "))));
  }
}
