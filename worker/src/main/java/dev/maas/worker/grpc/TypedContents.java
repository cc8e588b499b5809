package dev.maas.worker.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.maas.proto.inference.InferTensorContents;
import dev.maas.worker.tensor.DataType;
import dev.maas.worker.tensor.Shapes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Converts between the protocol's typed {@code contents} and the raw little-endian encoding the
 * worker runs on.
 */
final class TypedContents {

  private TypedContents() {}

  /**
   * The raw encoding of an input's typed contents.
   *
   * @param shape the input's shape, for error messages
   * @param elements the number of elements {@code shape} holds
   * @param finiteOnly whether NaN and ±Inf are refused (FP32 and FP64)
   * @throws InvalidInputException when the wrong field is used, the count is not {@code elements},
   *     a value does not fit the datatype, or a value is not finite and {@code finiteOnly} is set
   */
  static ByteString toRaw(
      String input,
      DataType type,
      InferTensorContents contents,
      long[] shape,
      int elements,
      boolean finiteOnly) {
    int count = valueCount(type, contents);
    int total = totalCount(contents);
    if (count != total) {
      throw new InvalidInputException(
          "input '"
              + input
              + "' has datatype "
              + type
              + ", whose values go in "
              + field(type)
              + ", but the request set other contents fields");
    }
    if (count != elements) {
      throw new InvalidInputException(
          "input '"
              + input
              + "' has "
              + elements
              + " elements by its shape "
              + Shapes.toString(shape)
              + ", but "
              + field(type)
              + " holds "
              + count
              + " values; expected "
              + elements);
    }
    if (type == DataType.BYTES) {
      return bytesToRaw(contents);
    }
    ByteBuffer out = ByteBuffer.allocate(elements * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < elements; i++) {
      switch (type) {
        case FP32 -> {
          float value = contents.getFp32Contents(i);
          if (finiteOnly && !Float.isFinite(value)) {
            throw FiniteValues.refused(input, type, shape, i, value);
          }
          out.putFloat(value);
        }
        case FP64 -> {
          double value = contents.getFp64Contents(i);
          if (finiteOnly && !Double.isFinite(value)) {
            throw FiniteValues.refused(input, type, shape, i, value);
          }
          out.putDouble(value);
        }
        case INT64 -> out.putLong(contents.getInt64Contents(i));
        case INT32 -> out.putInt(contents.getIntContents(i));
        case INT16 -> out.putShort((short) checkRange(input, type, contents.getIntContents(i)));
        case INT8 -> out.put((byte) checkRange(input, type, contents.getIntContents(i)));
        case UINT8 -> out.put((byte) checkRange(input, type, contents.getUintContents(i)));
        case BOOL -> out.put((byte) (contents.getBoolContents(i) ? 1 : 0));
        default -> throw new IllegalStateException("unhandled datatype " + type);
      }
    }
    return UnsafeByteOperations.unsafeWrap(out.array());
  }

  /** Typed contents holding the elements of a raw tensor. */
  static InferTensorContents fromRaw(DataType type, ByteString raw) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    if (type == DataType.BYTES) {
      ByteBuffer in = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      while (in.remaining() >= 4) {
        int length = in.getInt();
        ByteBuffer element = in.slice().limit(length);
        contents.addBytesContents(ByteString.copyFrom(element));
        in.position(in.position() + length);
      }
      return contents.build();
    }
    ByteBuffer in = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    int elements = raw.size() / type.byteSize();
    for (int i = 0; i < elements; i++) {
      switch (type) {
        case FP32 -> contents.addFp32Contents(in.getFloat());
        case FP64 -> contents.addFp64Contents(in.getDouble());
        case INT64 -> contents.addInt64Contents(in.getLong());
        case INT32 -> contents.addIntContents(in.getInt());
        case INT16 -> contents.addIntContents(in.getShort());
        case INT8 -> contents.addIntContents(in.get());
        case UINT8 -> contents.addUintContents(Byte.toUnsignedInt(in.get()));
        case BOOL -> contents.addBoolContents(in.get() != 0);
        default -> throw new IllegalStateException("unhandled datatype " + type);
      }
    }
    return contents.build();
  }

  private static ByteString bytesToRaw(InferTensorContents contents) {
    int size = 0;
    for (ByteString element : contents.getBytesContentsList()) {
      size += 4 + element.size();
    }
    ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    for (ByteString element : contents.getBytesContentsList()) {
      out.putInt(element.size());
      element.copyTo(out);
    }
    return UnsafeByteOperations.unsafeWrap(out.array());
  }

  private static int checkRange(String input, DataType type, int value) {
    int min = type == DataType.INT8 ? Byte.MIN_VALUE : type == DataType.INT16 ? Short.MIN_VALUE : 0;
    int max =
        type == DataType.INT8 ? Byte.MAX_VALUE : type == DataType.INT16 ? Short.MAX_VALUE : 255;
    if (type == DataType.UINT8
        ? Integer.compareUnsigned(value, max) > 0
        : value < min || value > max) {
      throw new InvalidInputException(
          "input '"
              + input
              + "' holds "
              + (type == DataType.UINT8 ? Integer.toUnsignedString(value) : value)
              + ", which does not fit "
              + type
              + " ["
              + min
              + ", "
              + max
              + "]");
    }
    return value;
  }

  private static int valueCount(DataType type, InferTensorContents contents) {
    return switch (type) {
      case FP32 -> contents.getFp32ContentsCount();
      case FP64 -> contents.getFp64ContentsCount();
      case INT64 -> contents.getInt64ContentsCount();
      case INT32, INT16, INT8 -> contents.getIntContentsCount();
      case UINT8 -> contents.getUintContentsCount();
      case BOOL -> contents.getBoolContentsCount();
      case BYTES -> contents.getBytesContentsCount();
    };
  }

  private static int totalCount(InferTensorContents contents) {
    return contents.getBoolContentsCount()
        + contents.getIntContentsCount()
        + contents.getInt64ContentsCount()
        + contents.getUintContentsCount()
        + contents.getUint64ContentsCount()
        + contents.getFp32ContentsCount()
        + contents.getFp64ContentsCount()
        + contents.getBytesContentsCount();
  }

  private static String field(DataType type) {
    return switch (type) {
      case FP32 -> "fp32_contents";
      case FP64 -> "fp64_contents";
      case INT64 -> "int64_contents";
      case INT32, INT16, INT8 -> "int_contents";
      case UINT8 -> "uint_contents";
      case BOOL -> "bool_contents";
      case BYTES -> "bytes_contents";
    };
  }
}
