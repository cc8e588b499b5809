package dev.maas.sdk;

import java.util.List;
import java.util.Objects;

/**
 * Name, datatype and shape of a model's input or output.
 *
 * @param name the tensor's name in the signature
 * @param datatype the protocol datatype, such as {@code FP32}
 * @param shape the dimensions; -1 marks one of variable size (usually the batch)
 */
public record TensorSpec(String name, String datatype, List<Long> shape) {

  /** Copies the shape. */
  public TensorSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(datatype, "datatype");
    shape = List.copyOf(shape);
  }

  /**
   * The datatype as an enum.
   *
   * @throws IllegalArgumentException for a datatype this SDK does not know
   */
  public DataType dataType() {
    return DataType.of(datatype);
  }
}
