package dev.maas.controlplane.model;

import java.util.List;

/**
 * Name, datatype and shape of one input or output of a signature.
 *
 * @param name the tensor's key in the signature
 * @param datatype the Open Inference Protocol datatype, such as {@code FP32}
 * @param shape the dimensions; -1 marks one of variable size
 */
public record TensorSpec(String name, String datatype, List<Long> shape) {
  public TensorSpec {
    shape = List.copyOf(shape);
  }
}
