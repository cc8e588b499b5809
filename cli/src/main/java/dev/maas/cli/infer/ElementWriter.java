package dev.maas.cli.infer;

import dev.maas.sdk.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes numbers as the raw little-endian elements of a datatype, refusing values the type cannot
 * hold (a fraction in an integer type, 300 in UINT8, ...).
 */
final class ElementWriter {

  private ElementWriter() {}

  /** The raw bytes of {@code values} as {@code type}, which must be a float type. */
  static byte[] fromDoubles(String input, DataType type, double[] values) {
    ByteBuffer out = allocate(type, values.length);
    for (double value : values) {
      switch (type) {
        case FP32 -> out.putFloat((float) value);
        case FP64 -> out.putDouble(value);
        case BF16 -> out.putShort((short) (Float.floatToIntBits((float) value) >>> 16));
        default -> {
          if (value != Math.rint(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(
                "input '" + input + "' is " + type + " but holds " + value + ", not an integer");
          }
          putInteger(out, input, type, (long) value);
        }
      }
    }
    return out.array();
  }

  /** The raw bytes of {@code values} as {@code type}. */
  static byte[] fromLongs(String input, DataType type, long[] values) {
    if (!type.isInteger()) {
      double[] doubles = new double[values.length];
      for (int i = 0; i < values.length; i++) {
        doubles[i] = values[i];
      }
      return fromDoubles(input, type, doubles);
    }
    ByteBuffer out = allocate(type, values.length);
    for (long value : values) {
      putInteger(out, input, type, value);
    }
    return out.array();
  }

  private static ByteBuffer allocate(DataType type, int count) {
    if (type == DataType.BYTES || type == DataType.BOOL || type == DataType.FP16) {
      throw new IllegalArgumentException(
          type + " inputs cannot be written from numbers here; use a .npy file");
    }
    return ByteBuffer.allocate(count * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void putInteger(ByteBuffer out, String input, DataType type, long value) {
    long min;
    long max;
    switch (type) {
      case INT8 -> {
        min = Byte.MIN_VALUE;
        max = Byte.MAX_VALUE;
      }
      case UINT8 -> {
        min = 0;
        max = 255;
      }
      case INT16 -> {
        min = Short.MIN_VALUE;
        max = Short.MAX_VALUE;
      }
      case UINT16 -> {
        min = 0;
        max = 65_535;
      }
      case INT32 -> {
        min = Integer.MIN_VALUE;
        max = Integer.MAX_VALUE;
      }
      case UINT32 -> {
        min = 0;
        max = 0xFFFF_FFFFL;
      }
      case UINT64 -> {
        min = 0;
        max = Long.MAX_VALUE;
      }
      default -> {
        min = Long.MIN_VALUE;
        max = Long.MAX_VALUE;
      }
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "input '" + input + "' holds " + value + ", which does not fit " + type);
    }
    switch (type.byteSize()) {
      case 1 -> out.put((byte) value);
      case 2 -> out.putShort((short) value);
      case 4 -> out.putInt((int) value);
      default -> out.putLong(value);
    }
  }
}
