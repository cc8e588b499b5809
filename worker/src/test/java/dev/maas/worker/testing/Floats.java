package dev.maas.worker.testing;

import com.google.protobuf.ByteString;
import dev.maas.worker.tensor.DataType;
import dev.maas.worker.tensor.HostTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** FP32 host tensors for tests: built from floats and read back as floats. */
public final class Floats {

  private Floats() {}

  /** An FP32 tensor of {@code shape} holding {@code values} in row-major order. */
  public static HostTensor tensor(String name, long[] shape, float... values) {
    return new HostTensor(name, DataType.FP32, shape, bytes(values));
  }

  /** {@code rows} rows of {@code width} floats, each element {@code first + its index}. */
  public static float[] counting(float first, int rows, int width) {
    float[] values = new float[rows * width];
    for (int i = 0; i < values.length; i++) {
      values[i] = first + i;
    }
    return values;
  }

  /** Little-endian bytes of floats, as the protocol's raw encoding has them. */
  public static ByteString bytes(float... values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return ByteString.copyFrom(buffer.array());
  }

  /** The floats of an FP32 tensor. */
  public static float[] values(HostTensor tensor) {
    return values(tensor.data());
  }

  /** The floats of little-endian FP32 bytes. */
  public static float[] values(ByteString data) {
    ByteBuffer buffer = data.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[buffer.remaining() / 4];
    buffer.asFloatBuffer().get(values);
    return values;
  }

  /** {@code scale * x + offset} for every element, as an affine model answers. */
  public static float[] affine(float[] x, float scale, float offset) {
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = scale * x[i] + offset;
    }
    return y;
  }
}
