package dev.maas.worker.tensor;

import java.util.List;
import java.util.Optional;

/** The inputs and outputs of a model's serving signature, in the signature's order. */
public record ModelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs) {

  public ModelSignature {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /** The input with this name, if there is one. */
  public Optional<TensorSpec> input(String name) {
    return inputs.stream().filter(spec -> spec.name().equals(name)).findFirst();
  }

  /** The output with this name, if there is one. */
  public Optional<TensorSpec> output(String name) {
    return outputs.stream().filter(spec -> spec.name().equals(name)).findFirst();
  }

  /**
   * Whether requests can be batched together: every input and output has a variable dimension 0,
   * along which requests are concatenated and outputs split back.
   */
  public boolean supportsBatching() {
    return inputs.stream().allMatch(TensorSpec::hasBatchDimension)
        && outputs.stream().allMatch(TensorSpec::hasBatchDimension);
  }
}
