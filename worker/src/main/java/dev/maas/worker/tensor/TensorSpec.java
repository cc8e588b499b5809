package dev.maas.worker.tensor;

import java.util.Arrays;

/**
 * Name, element type and shape of a model input or output; {@code -1} marks a dimension of variable
 * size.
 */
public record TensorSpec(String name, DataType dataType, long[] shape) {

  public TensorSpec {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** The number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** The size of dimension {@code i}, or -1 when it varies. */
  public long dim(int i) {
    return shape[i];
  }

  /** Whether dimension 0 is variable, so requests can be concatenated along it. */
  public boolean hasBatchDimension() {
    return shape.length > 0 && shape[0] == -1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec other
        && name.equals(other.name)
        && dataType == other.dataType
        && Arrays.equals(shape, other.shape);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + dataType.hashCode()) + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + ":" + dataType + Shapes.toString(shape);
  }
}
