package dev.maas.sdk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A named tensor: datatype, shape and elements, held in the protocol's raw encoding (row-major,
 * little-endian; BYTES elements each prefixed with a 4-byte little-endian length). Inputs are made
 * with the static factories ({@link #ofFloats}, ...); outputs are read with the typed views ({@link
 * #asFloats()}, ...). Immutable and thread-safe.
 */
public final class Tensor {

  private final String name;
  private final DataType dataType;
  private final long[] shape;
  private final byte[] raw;

  private Tensor(String name, DataType dataType, long[] shape, byte[] raw) {
    this.name = Objects.requireNonNull(name, "name");
    this.dataType = Objects.requireNonNull(dataType, "dataType");
    this.shape = shape.clone();
    this.raw = raw;
    for (long dimension : shape) {
      if (dimension < 0) {
        throw new IllegalArgumentException(
            "tensor '" + name + "' has a negative dimension in shape " + Arrays.toString(shape));
      }
    }
    long elements = countOf(shape);
    long actual =
        dataType == DataType.BYTES ? byteStringCount(raw) : raw.length / dataType.byteSize();
    if (dataType != DataType.BYTES && raw.length % dataType.byteSize() != 0) {
      throw new IllegalArgumentException(
          "tensor '" + name + "': " + raw.length + " bytes is no whole number of " + dataType);
    }
    if (actual != elements) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "' has "
              + actual
              + " elements but shape "
              + Arrays.toString(shape)
              + " holds "
              + elements);
    }
  }

  /**
   * A tensor from its raw encoding.
   *
   * @param shape the dimensions; none means one dimension of the element count (for fixed-size
   *     types)
   * @throws IllegalArgumentException when the bytes do not fill the shape exactly
   */
  public static Tensor ofRaw(String name, DataType dataType, byte[] raw, long... shape) {
    byte[] copy = raw.clone();
    long[] dims =
        shape.length > 0
            ? shape
            : new long[] {
              dataType == DataType.BYTES
                  ? byteStringCount(copy)
                  : copy.length / Math.max(1, dataType.byteSize())
            };
    return new Tensor(name, dataType, dims, copy);
  }

  /** An FP32 tensor; no shape means one dimension of {@code values.length}. */
  public static Tensor ofFloats(String name, float[] values, long... shape) {
    ByteBuffer buffer = allocate(values.length, 4);
    buffer.asFloatBuffer().put(values);
    return new Tensor(name, DataType.FP32, shapeOr(shape, values.length), buffer.array());
  }

  /** An FP64 tensor; no shape means one dimension of {@code values.length}. */
  public static Tensor ofDoubles(String name, double[] values, long... shape) {
    ByteBuffer buffer = allocate(values.length, 8);
    buffer.asDoubleBuffer().put(values);
    return new Tensor(name, DataType.FP64, shapeOr(shape, values.length), buffer.array());
  }

  /** An INT32 tensor; no shape means one dimension of {@code values.length}. */
  public static Tensor ofInts(String name, int[] values, long... shape) {
    ByteBuffer buffer = allocate(values.length, 4);
    buffer.asIntBuffer().put(values);
    return new Tensor(name, DataType.INT32, shapeOr(shape, values.length), buffer.array());
  }

  /** An INT16 tensor; no shape means one dimension of {@code values.length}. */
  public static Tensor ofShorts(String name, short[] values, long... shape) {
    ByteBuffer buffer = allocate(values.length, 2);
    buffer.asShortBuffer().put(values);
    return new Tensor(name, DataType.INT16, shapeOr(shape, values.length), buffer.array());
  }

  /** An INT64 tensor; no shape means one dimension of {@code values.length}. */
  public static Tensor ofLongs(String name, long[] values, long... shape) {
    ByteBuffer buffer = allocate(values.length, 8);
    buffer.asLongBuffer().put(values);
    return new Tensor(name, DataType.INT64, shapeOr(shape, values.length), buffer.array());
  }

  /** An INT8 tensor; no shape means one dimension of {@code values.length}. */
  public static Tensor ofInt8(String name, byte[] values, long... shape) {
    return new Tensor(name, DataType.INT8, shapeOr(shape, values.length), values.clone());
  }

  /**
   * A UINT8 tensor (such as image pixels), each byte read as 0 to 255; no shape means one dimension
   * of {@code values.length}.
   */
  public static Tensor ofUint8(String name, byte[] values, long... shape) {
    return new Tensor(name, DataType.UINT8, shapeOr(shape, values.length), values.clone());
  }

  /** A BOOL tensor; no shape means one dimension of {@code values.length}. */
  public static Tensor ofBooleans(String name, boolean[] values, long... shape) {
    byte[] raw = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      raw[i] = (byte) (values[i] ? 1 : 0);
    }
    return new Tensor(name, DataType.BOOL, shapeOr(shape, values.length), raw);
  }

  /**
   * A BYTES tensor of strings, encoded as UTF-8; no shape means one dimension of {@code
   * values.length}.
   */
  public static Tensor ofStrings(String name, String[] values, long... shape) {
    List<byte[]> elements = new ArrayList<>(values.length);
    for (String value : values) {
      elements.add(value.getBytes(StandardCharsets.UTF_8));
    }
    return ofByteStrings(name, elements, shape);
  }

  /** A BYTES tensor of byte strings; no shape means one dimension of {@code values.size()}. */
  public static Tensor ofByteStrings(String name, List<byte[]> values, long... shape) {
    int size = 0;
    for (byte[] value : values) {
      size += 4 + value.length;
    }
    ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[] value : values) {
      buffer.putInt(value.length).put(value);
    }
    return new Tensor(name, DataType.BYTES, shapeOr(shape, values.size()), buffer.array());
  }

  /** The tensor's name: an input or output of the model's signature. */
  public String name() {
    return name;
  }

  /** The element type. */
  public DataType dataType() {
    return dataType;
  }

  /** The dimensions (a copy). */
  public long[] shape() {
    return shape.clone();
  }

  /** The number of elements: the product of the dimensions. */
  public int elementCount() {
    return Math.toIntExact(countOf(shape));
  }

  /** The raw encoding (a copy): little-endian elements, length-prefixed for BYTES. */
  public byte[] rawBytes() {
    return raw.clone();
  }

  /** The size of the raw encoding in bytes. */
  public int rawSize() {
    return raw.length;
  }

  /** A copy of this tensor under another name. */
  public Tensor withName(String newName) {
    return new Tensor(newName, dataType, shape, raw);
  }

  /**
   * The elements of an FP32 tensor.
   *
   * @throws IllegalStateException for another datatype
   */
  public float[] asFloats() {
    require(DataType.FP32);
    float[] values = new float[elementCount()];
    buffer().asFloatBuffer().get(values);
    return values;
  }

  /**
   * The elements of any numeric tensor as doubles (FP16 and BF16 are widened, UINT64 above 2^63 is
   * read as unsigned).
   *
   * @throws IllegalStateException for BOOL and BYTES
   */
  public double[] asDoubles() {
    if (!dataType.isNumeric()) {
      throw new IllegalStateException(
          "tensor '" + name + "' is " + dataType + ", not a numeric tensor");
    }
    ByteBuffer in = buffer();
    double[] values = new double[elementCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = ElementReader.readDouble(dataType, in);
    }
    return values;
  }

  /**
   * The elements of an integer tensor of at most 32 bits (INT8, INT16, INT32, UINT8, UINT16).
   *
   * @throws IllegalStateException for another datatype
   */
  public int[] asInts() {
    if (!(dataType == DataType.INT32
        || dataType == DataType.INT16
        || dataType == DataType.INT8
        || dataType == DataType.UINT16
        || dataType == DataType.UINT8)) {
      throw new IllegalStateException(
          "tensor '" + name + "' is " + dataType + "; asInts() reads integers of up to 32 bits");
    }
    ByteBuffer in = buffer();
    int[] values = new int[elementCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (int) ElementReader.readLong(dataType, in);
    }
    return values;
  }

  /**
   * The elements of any integer tensor as longs (UINT64 keeps its bits: values above 2^63 come out
   * negative).
   *
   * @throws IllegalStateException for a type that is not an integer
   */
  public long[] asLongs() {
    if (!dataType.isInteger()) {
      throw new IllegalStateException(
          "tensor '" + name + "' is " + dataType + ", not an integer tensor");
    }
    ByteBuffer in = buffer();
    long[] values = new long[elementCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = ElementReader.readLong(dataType, in);
    }
    return values;
  }

  /**
   * The elements of a BOOL tensor.
   *
   * @throws IllegalStateException for another datatype
   */
  public boolean[] asBooleans() {
    require(DataType.BOOL);
    boolean[] values = new boolean[raw.length];
    for (int i = 0; i < raw.length; i++) {
      values[i] = raw[i] != 0;
    }
    return values;
  }

  /**
   * The elements of a BYTES tensor.
   *
   * @throws IllegalStateException for another datatype
   */
  public List<byte[]> asByteStrings() {
    require(DataType.BYTES);
    ByteBuffer in = buffer();
    List<byte[]> values = new ArrayList<>();
    while (in.remaining() >= 4) {
      byte[] element = new byte[in.getInt()];
      in.get(element);
      values.add(element);
    }
    return values;
  }

  /**
   * The elements of a BYTES tensor, decoded as UTF-8.
   *
   * @throws IllegalStateException for another datatype
   */
  public List<String> asStrings() {
    return asByteStrings().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Tensor that
        && name.equals(that.name)
        && dataType == that.dataType
        && Arrays.equals(shape, that.shape)
        && Arrays.equals(raw, that.raw);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dataType, Arrays.hashCode(shape), Arrays.hashCode(raw));
  }

  @Override
  public String toString() {
    return "Tensor[" + name + ", " + dataType + ", shape=" + Arrays.toString(shape) + "]";
  }

  private void require(DataType expected) {
    if (dataType != expected) {
      throw new IllegalStateException("tensor '" + name + "' is " + dataType + ", not " + expected);
    }
  }

  private ByteBuffer buffer() {
    return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static ByteBuffer allocate(int elements, int size) {
    return ByteBuffer.allocate(Math.multiplyExact(elements, size)).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static long[] shapeOr(long[] shape, int elements) {
    return shape.length > 0 ? shape : new long[] {elements};
  }

  private static long countOf(long[] shape) {
    long count = 1;
    for (long dimension : shape) {
      count = Math.multiplyExact(count, dimension);
    }
    return count;
  }

  private static long byteStringCount(byte[] raw) {
    ByteBuffer in = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    long count = 0;
    while (in.remaining() > 0) {
      if (in.remaining() < 4) {
        throw new IllegalArgumentException("BYTES contents end inside an element's length");
      }
      int length = in.getInt();
      if (length < 0 || length > in.remaining()) {
        throw new IllegalArgumentException("a BYTES element runs past the end of the contents");
      }
      in.position(in.position() + length);
      count++;
    }
    return count;
  }
}
