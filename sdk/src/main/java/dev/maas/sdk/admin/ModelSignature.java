package dev.maas.sdk.admin;

import dev.maas.sdk.TensorSpec;
import java.util.List;

/**
 * One signature of a SavedModel.
 *
 * @param name the signature key, such as {@code serving_default}
 * @param inputs its inputs
 * @param outputs its outputs
 */
public record ModelSignature(String name, List<TensorSpec> inputs, List<TensorSpec> outputs) {

  /** Copies the lists. */
  public ModelSignature {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }
}
