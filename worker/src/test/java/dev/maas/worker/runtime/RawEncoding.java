package dev.maas.worker.runtime;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Encodes and decodes test values in the protocol's raw little-endian encoding. */
final class RawEncoding {

  private RawEncoding() {}

  static ByteString floats(float... values) {
    ByteBuffer out = allocate(4 * values.length);
    for (float value : values) {
      out.putFloat(value);
    }
    return ByteString.copyFrom(out.array());
  }

  static ByteString doubles(double... values) {
    ByteBuffer out = allocate(8 * values.length);
    for (double value : values) {
      out.putDouble(value);
    }
    return ByteString.copyFrom(out.array());
  }

  static ByteString shorts(short... values) {
    ByteBuffer out = allocate(2 * values.length);
    for (short value : values) {
      out.putShort(value);
    }
    return ByteString.copyFrom(out.array());
  }

  static ByteString ints(int... values) {
    ByteBuffer out = allocate(4 * values.length);
    for (int value : values) {
      out.putInt(value);
    }
    return ByteString.copyFrom(out.array());
  }

  static ByteString longs(long... values) {
    ByteBuffer out = allocate(8 * values.length);
    for (long value : values) {
      out.putLong(value);
    }
    return ByteString.copyFrom(out.array());
  }

  static ByteString bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return ByteString.copyFrom(out);
  }

  static ByteString bools(boolean... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) (values[i] ? 1 : 0);
    }
    return ByteString.copyFrom(out);
  }

  /** BYTES elements: each a 4-byte little-endian length, then its bytes. */
  static ByteString strings(String... values) {
    ByteString out = ByteString.EMPTY;
    for (String value : values) {
      ByteString element = ByteString.copyFromUtf8(value);
      out = out.concat(allocateBytes(element.size())).concat(element);
    }
    return out;
  }

  static List<String> decodeStrings(ByteString data) {
    ByteBuffer in = data.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    List<String> values = new ArrayList<>();
    while (in.hasRemaining()) {
      byte[] element = new byte[in.getInt()];
      in.get(element);
      values.add(new String(element, StandardCharsets.UTF_8));
    }
    return values;
  }

  static float[] decodeFloats(ByteString data) {
    ByteBuffer in = data.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[data.size() / 4];
    in.asFloatBuffer().get(values);
    return values;
  }

  static double[] decodeDoubles(ByteString data) {
    ByteBuffer in = data.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    double[] values = new double[data.size() / 8];
    in.asDoubleBuffer().get(values);
    return values;
  }

  static short[] decodeShorts(ByteString data) {
    ByteBuffer in = data.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    short[] values = new short[data.size() / 2];
    in.asShortBuffer().get(values);
    return values;
  }

  static int[] decodeInts(ByteString data) {
    ByteBuffer in = data.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    int[] values = new int[data.size() / 4];
    in.asIntBuffer().get(values);
    return values;
  }

  static long[] decodeLongs(ByteString data) {
    ByteBuffer in = data.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    long[] values = new long[data.size() / 8];
    in.asLongBuffer().get(values);
    return values;
  }

  /** Splits data into {@code parts} pieces and concatenates them back into a rope. */
  static ByteString rope(ByteString data, int parts) {
    ByteString out = ByteString.EMPTY;
    int step = Math.max(1, data.size() / parts);
    for (int start = 0; start < data.size(); start += step) {
      byte[] piece = data.substring(start, Math.min(data.size(), start + step)).toByteArray();
      out = out.concat(ByteString.copyFrom(piece));
    }
    return out;
  }

  private static ByteString allocateBytes(int length) {
    return ByteString.copyFrom(allocate(4).putInt(length).array());
  }

  private static ByteBuffer allocate(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }
}
