package dev.maas.worker.tensor;

import com.google.protobuf.ByteString;

/**
 * A tensor in host memory in the protocol's raw encoding: row-major little-endian elements, or for
 * {@link DataType#BYTES} each element as a 4-byte little-endian length followed by its bytes.
 *
 * <p>The data is an immutable {@link ByteString}, so a tensor can be sliced and concatenated
 * without copying and shared between threads.
 */
public record HostTensor(String name, DataType dataType, long[] shape, ByteString data) {

  public HostTensor {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** The size of dimension {@code i}. */
  public long dim(int i) {
    return shape[i];
  }

  /** The number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** The number of elements. */
  public long elementCount() {
    return Shapes.elementCount(shape);
  }

  @Override
  public String toString() {
    return name + ":" + dataType + Shapes.toString(shape) + "(" + data.size() + " bytes)";
  }
}
