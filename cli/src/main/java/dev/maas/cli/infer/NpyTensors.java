package dev.maas.cli.infer;

import dev.maas.sdk.DataType;
import dev.maas.sdk.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a tensor from a NumPy {@code .npy} file (format versions 1 to 3, C order, numeric or bool
 * dtypes). Elements of another dtype than the model input's are converted (float64 to FP32, say).
 */
final class NpyTensors {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
  private static final Map<String, DataType> TYPES =
      Map.ofEntries(
          Map.entry("f2", DataType.FP16),
          Map.entry("f4", DataType.FP32),
          Map.entry("f8", DataType.FP64),
          Map.entry("i1", DataType.INT8),
          Map.entry("i2", DataType.INT16),
          Map.entry("i4", DataType.INT32),
          Map.entry("i8", DataType.INT64),
          Map.entry("u1", DataType.UINT8),
          Map.entry("u2", DataType.UINT16),
          Map.entry("u4", DataType.UINT32),
          Map.entry("u8", DataType.UINT64),
          Map.entry("b1", DataType.BOOL));

  private NpyTensors() {}

  /** The tensor in {@code file}'s bytes, as {@code type}. */
  static Tensor read(String name, DataType type, byte[] file) {
    if (file.length < 10 || !Arrays.equals(Arrays.copyOf(file, 6), MAGIC)) {
      throw new IllegalArgumentException("input '" + name + "': not a .npy file");
    }
    ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    int major = file[6];
    in.position(8);
    int headerLength = major == 1 ? Short.toUnsignedInt(in.getShort()) : in.getInt();
    String header = new String(file, in.position(), headerLength, StandardCharsets.ISO_8859_1);
    int dataStart = in.position() + headerLength;
    Matcher descr = DESCR.matcher(header);
    Matcher fortran = FORTRAN.matcher(header);
    Matcher shapeMatch = SHAPE.matcher(header);
    if (!descr.find() || !shapeMatch.find()) {
      throw new IllegalArgumentException("input '" + name + "': unreadable .npy header " + header);
    }
    if (fortran.find() && fortran.group(1).equals("True")) {
      throw new IllegalArgumentException(
          "input '" + name + "': Fortran-ordered arrays are not supported; save with C order");
    }
    DataType source = TYPES.get(descr.group(2) + descr.group(3));
    if (source == null) {
      throw new IllegalArgumentException(
          "input '"
              + name
              + "': .npy dtype '"
              + descr.group(2)
              + descr.group(3)
              + "' is not supported");
    }
    byte[] data = Arrays.copyOfRange(file, dataStart, file.length);
    if (descr.group(1).equals(">") && source.byteSize() > 1) {
      swapBytes(data, source.byteSize());
    }
    long[] shape = shapeOf(shapeMatch.group(1));
    Tensor tensor = Tensor.ofRaw(name, source, data, shape.length == 0 ? new long[] {1} : shape);
    return source == type ? tensor : convert(tensor, type);
  }

  private static long[] shapeOf(String dims) {
    List<Long> shape = new ArrayList<>();
    for (String dim : dims.split(",")) {
      if (!dim.isBlank()) {
        shape.add(Long.parseLong(dim.strip()));
      }
    }
    return shape.stream().mapToLong(Long::longValue).toArray();
  }

  private static void swapBytes(byte[] data, int size) {
    for (int i = 0; i + size <= data.length; i += size) {
      for (int a = i, b = i + size - 1; a < b; a++, b--) {
        byte t = data[a];
        data[a] = data[b];
        data[b] = t;
      }
    }
  }

  /** {@code tensor} with its elements converted to {@code type}. */
  static Tensor convert(Tensor tensor, DataType type) {
    if (type == DataType.BOOL || tensor.dataType() == DataType.BOOL || type == DataType.BYTES) {
      throw new IllegalArgumentException(
          "input '" + tensor.name() + "' is " + type + " but the file holds " + tensor.dataType());
    }
    byte[] raw =
        tensor.dataType().isInteger()
            ? ElementWriter.fromLongs(tensor.name(), type, tensor.asLongs())
            : ElementWriter.fromDoubles(tensor.name(), type, tensor.asDoubles());
    return Tensor.ofRaw(tensor.name(), type, raw, tensor.shape());
  }
}
