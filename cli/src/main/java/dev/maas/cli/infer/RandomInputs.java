package dev.maas.cli.infer;

import dev.maas.sdk.DataType;
import dev.maas.sdk.ModelMetadata;
import dev.maas.sdk.Tensor;
import dev.maas.sdk.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Inputs for a load test when none are given: each input of the model with its shape (a variable
 * dimension as 1) and seeded random values of its datatype.
 */
public final class RandomInputs {

  private RandomInputs() {}

  /** Random values for every input of the model. */
  public static List<Tensor> of(ModelMetadata metadata) {
    Random random = new Random(42);
    List<Tensor> tensors = new ArrayList<>();
    for (TensorSpec input : metadata.inputs()) {
      tensors.add(of(input, random));
    }
    return tensors;
  }

  /** Random values for one input: its shape with a variable dimension as 1. */
  static Tensor of(TensorSpec input, Random random) {
    long[] shape = input.shape().stream().mapToLong(d -> d < 0 ? 1 : d).toArray();
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    return tensor(input.name(), input.dataType(), shape, Math.toIntExact(count), random);
  }

  private static Tensor tensor(String name, DataType type, long[] shape, int count, Random random) {
    if (type == DataType.BYTES) {
      String[] values = new String[count];
      java.util.Arrays.fill(values, "maas");
      return Tensor.ofStrings(name, values, shape);
    }
    ByteBuffer raw = ByteBuffer.allocate(count * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      switch (type) {
        case FP32 -> raw.putFloat(random.nextFloat());
        case FP64 -> raw.putDouble(random.nextDouble());
        case BOOL -> raw.put((byte) random.nextInt(2));
        default -> {
          byte[] element = new byte[type.byteSize()];
          element[0] = (byte) random.nextInt(100);
          raw.put(element);
        }
      }
    }
    return Tensor.ofRaw(name, type, raw.array(), shape);
  }
}
