package dev.maas.controlplane.model;

import java.util.List;

/**
 * One signature of a SavedModel, as read when its version was validated.
 *
 * @param name the signature key, such as {@code serving_default}
 * @param inputs the inputs, by name
 * @param outputs the outputs, by name
 */
public record ModelSignature(String name, List<TensorSpec> inputs, List<TensorSpec> outputs) {
  public ModelSignature {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }
}
