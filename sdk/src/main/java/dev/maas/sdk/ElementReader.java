package dev.maas.sdk;

import java.nio.ByteBuffer;

/** Reads one raw little-endian element of a numeric datatype, widened. */
final class ElementReader {

  private ElementReader() {}

  static long readLong(DataType type, ByteBuffer in) {
    return switch (type) {
      case INT8 -> in.get();
      case UINT8 -> Byte.toUnsignedInt(in.get());
      case INT16 -> in.getShort();
      case UINT16 -> Short.toUnsignedInt(in.getShort());
      case INT32 -> in.getInt();
      case UINT32 -> Integer.toUnsignedLong(in.getInt());
      case INT64, UINT64 -> in.getLong();
      default -> throw new IllegalStateException(type + " is not an integer type");
    };
  }

  static double readDouble(DataType type, ByteBuffer in) {
    return switch (type) {
      case FP32 -> in.getFloat();
      case FP64 -> in.getDouble();
      case FP16 -> halfToFloat(in.getShort());
      case BF16 -> Float.intBitsToFloat(Short.toUnsignedInt(in.getShort()) << 16);
      case UINT64 -> unsignedToDouble(in.getLong());
      default -> readLong(type, in);
    };
  }

  private static double unsignedToDouble(long bits) {
    double value = (double) (bits >>> 1) * 2.0;
    return value + (bits & 1);
  }

  /** IEEE 754 binary16 to float, subnormals, infinities and NaN included. */
  static float halfToFloat(short half) {
    int bits = Short.toUnsignedInt(half);
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float value = mantissa * 0x1p-24f;
      return sign == 0 ? value : -value;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
}
