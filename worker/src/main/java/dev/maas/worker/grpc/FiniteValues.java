package dev.maas.worker.grpc;

import com.google.protobuf.ByteString;
import dev.maas.worker.tensor.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.StringJoiner;

/**
 * Refuses NaN and ±Inf in FP32 and FP64 inputs, unless the model's config allows them: such a value
 * is almost always a client bug, and TensorFlow would answer it with NaN outputs instead of an
 * error. The check reads each element once and copies nothing.
 */
final class FiniteValues {

  private static final int FLOAT_EXPONENT = 0x7f80_0000;
  private static final long DOUBLE_EXPONENT = 0x7ff0_0000_0000_0000L;

  private FiniteValues() {}

  /** Whether inputs of {@code type} are checked. */
  static boolean applies(DataType type) {
    return type == DataType.FP32 || type == DataType.FP64;
  }

  /**
   * Checks the raw little-endian elements of an FP32 or FP64 input of a checked length.
   *
   * @throws InvalidInputException naming the input and the first element that is NaN or infinite
   */
  static void requireFinite(String input, DataType type, long[] shape, ByteString raw) {
    ByteBuffer in = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    int start = in.position();
    if (type == DataType.FP32) {
      int elements = in.remaining() / Float.BYTES;
      for (int i = 0; i < elements; i++) {
        // All exponent bits set: infinite or NaN.
        int bits = in.getInt(start + i * Float.BYTES);
        if ((bits & FLOAT_EXPONENT) == FLOAT_EXPONENT) {
          throw refused(input, type, shape, i, Float.intBitsToFloat(bits));
        }
      }
    } else {
      int elements = in.remaining() / Double.BYTES;
      for (int i = 0; i < elements; i++) {
        long bits = in.getLong(start + i * Double.BYTES);
        if ((bits & DOUBLE_EXPONENT) == DOUBLE_EXPONENT) {
          throw refused(input, type, shape, i, Double.longBitsToDouble(bits));
        }
      }
    }
  }

  /** The error for element {@code element} of an input, whose value is NaN or infinite. */
  static InvalidInputException refused(
      String input, DataType type, long[] shape, int element, double value) {
    return new InvalidInputException(
        "input '"
            + input
            + "' holds "
            + value
            + " at index "
            + index(shape, element)
            + " (element "
            + element
            + "), expected finite "
            + type
            + " values; a model whose config.json sets \"allow_non_finite_inputs\": true"
            + " accepts NaN and Infinity");
  }

  /** The row-major index of flat element {@code element} in a tensor of {@code shape}. */
  private static String index(long[] shape, int element) {
    long[] index = new long[shape.length];
    long rest = element;
    for (int d = shape.length - 1; d >= 0; d--) {
      index[d] = shape[d] == 0 ? 0 : rest % shape[d];
      rest = shape[d] == 0 ? rest : rest / shape[d];
    }
    StringJoiner text = new StringJoiner(", ", "[", "]");
    for (long i : index) {
      text.add(Long.toString(i));
    }
    return text.toString();
  }
}
