package dev.maas.worker.grpc;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The protocol's raw tensor encoding in tests: row-major little-endian elements; BYTES elements as
 * a 4-byte little-endian length, then the bytes. Written independently of the worker's own codec so
 * that the tests check it rather than mirror it.
 */
final class RawTensors {

  private RawTensors() {}

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

  static ByteString longs(long... values) {
    ByteBuffer out = allocate(8 * values.length);
    for (long value : values) {
      out.putLong(value);
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

  static ByteString shorts(int... values) {
    ByteBuffer out = allocate(2 * values.length);
    for (int value : values) {
      out.putShort((short) value);
    }
    return ByteString.copyFrom(out.array());
  }

  /** One byte per element: INT8 and UINT8 (the low 8 bits of each value). */
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

  /** BYTES elements, each length-prefixed. */
  static ByteString strings(ByteString... elements) {
    ByteString out = ByteString.EMPTY;
    for (ByteString element : elements) {
      out = out.concat(ints(element.size())).concat(element);
    }
    return out;
  }

  static float[] toFloats(ByteString raw) {
    ByteBuffer in = reader(raw);
    float[] values = new float[raw.size() / 4];
    for (int i = 0; i < values.length; i++) {
      values[i] = in.getFloat();
    }
    return values;
  }

  static double[] toDoubles(ByteString raw) {
    ByteBuffer in = reader(raw);
    double[] values = new double[raw.size() / 8];
    for (int i = 0; i < values.length; i++) {
      values[i] = in.getDouble();
    }
    return values;
  }

  static long[] toLongs(ByteString raw) {
    ByteBuffer in = reader(raw);
    long[] values = new long[raw.size() / 8];
    for (int i = 0; i < values.length; i++) {
      values[i] = in.getLong();
    }
    return values;
  }

  static int[] toInts(ByteString raw) {
    ByteBuffer in = reader(raw);
    int[] values = new int[raw.size() / 4];
    for (int i = 0; i < values.length; i++) {
      values[i] = in.getInt();
    }
    return values;
  }

  /** INT16 elements, sign-extended. */
  static int[] toShorts(ByteString raw) {
    ByteBuffer in = reader(raw);
    int[] values = new int[raw.size() / 2];
    for (int i = 0; i < values.length; i++) {
      values[i] = in.getShort();
    }
    return values;
  }

  /** INT8 elements, sign-extended. */
  static int[] toSignedBytes(ByteString raw) {
    int[] values = new int[raw.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = raw.byteAt(i);
    }
    return values;
  }

  /** UINT8 elements, 0 to 255. */
  static int[] toUnsignedBytes(ByteString raw) {
    int[] values = new int[raw.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = Byte.toUnsignedInt(raw.byteAt(i));
    }
    return values;
  }

  static boolean[] toBools(ByteString raw) {
    boolean[] values = new boolean[raw.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = raw.byteAt(i) != 0;
    }
    return values;
  }

  /** BYTES elements of a raw tensor; fails the test when the encoding is malformed. */
  static List<ByteString> toStrings(ByteString raw) {
    ByteBuffer in = reader(raw);
    List<ByteString> elements = new ArrayList<>();
    while (in.hasRemaining()) {
      if (in.remaining() < 4) {
        throw new AssertionError("raw BYTES tensor ends inside a length prefix: " + raw);
      }
      int length = in.getInt();
      if (length < 0 || length > in.remaining()) {
        throw new AssertionError("raw BYTES element runs past the end: " + raw);
      }
      byte[] element = new byte[length];
      in.get(element);
      elements.add(ByteString.copyFrom(element));
    }
    return elements;
  }

  private static ByteBuffer allocate(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static ByteBuffer reader(ByteString raw) {
    return raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }
}
