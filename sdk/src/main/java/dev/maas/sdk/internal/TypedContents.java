package dev.maas.sdk.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.maas.proto.inference.InferTensorContents;
import dev.maas.sdk.DataType;
import dev.maas.sdk.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Converts between a tensor's raw encoding and the protocol's typed {@code contents}. */
final class TypedContents {

  private TypedContents() {}

  /** The typed contents of {@code tensor}. */
  static InferTensorContents of(Tensor tensor) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    switch (tensor.dataType()) {
      case FP32 -> {
        for (float value : tensor.asFloats()) {
          contents.addFp32Contents(value);
        }
      }
      case FP64 -> {
        for (double value : tensor.asDoubles()) {
          contents.addFp64Contents(value);
        }
      }
      case INT8, INT16, INT32 -> {
        for (int value : tensor.asInts()) {
          contents.addIntContents(value);
        }
      }
      case UINT8, UINT16, UINT32 -> {
        for (long value : tensor.asLongs()) {
          contents.addUintContents((int) value);
        }
      }
      case INT64 -> {
        for (long value : tensor.asLongs()) {
          contents.addInt64Contents(value);
        }
      }
      case UINT64 -> {
        for (long value : tensor.asLongs()) {
          contents.addUint64Contents(value);
        }
      }
      case BOOL -> {
        for (boolean value : tensor.asBooleans()) {
          contents.addBoolContents(value);
        }
      }
      case BYTES -> {
        for (byte[] value : tensor.asByteStrings()) {
          contents.addBytesContents(ByteString.copyFrom(value));
        }
      }
      case FP16, BF16 ->
          throw new IllegalArgumentException(
              "input '"
                  + tensor.name()
                  + "' is "
                  + tensor.dataType()
                  + ", which has no typed contents; send it raw");
    }
    return contents.build();
  }

  /** The raw encoding of typed contents of {@code type}. */
  static ByteString toRaw(DataType type, InferTensorContents contents) {
    if (type == DataType.BYTES) {
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
    int count = count(type, contents);
    ByteBuffer out = ByteBuffer.allocate(count * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      switch (type) {
        case FP32 -> out.putFloat(contents.getFp32Contents(i));
        case FP64 -> out.putDouble(contents.getFp64Contents(i));
        case INT8 -> out.put((byte) contents.getIntContents(i));
        case INT16 -> out.putShort((short) contents.getIntContents(i));
        case INT32 -> out.putInt(contents.getIntContents(i));
        case INT64 -> out.putLong(contents.getInt64Contents(i));
        case UINT8 -> out.put((byte) contents.getUintContents(i));
        case UINT16 -> out.putShort((short) contents.getUintContents(i));
        case UINT32 -> out.putInt(contents.getUintContents(i));
        case UINT64 -> out.putLong(contents.getUint64Contents(i));
        case BOOL -> out.put((byte) (contents.getBoolContents(i) ? 1 : 0));
        default ->
            throw new IllegalStateException(type + " outputs come only in raw_output_contents");
      }
    }
    return UnsafeByteOperations.unsafeWrap(out.array());
  }

  private static int count(DataType type, InferTensorContents contents) {
    return switch (type) {
      case FP32 -> contents.getFp32ContentsCount();
      case FP64 -> contents.getFp64ContentsCount();
      case INT8, INT16, INT32 -> contents.getIntContentsCount();
      case INT64 -> contents.getInt64ContentsCount();
      case UINT8, UINT16, UINT32 -> contents.getUintContentsCount();
      case UINT64 -> contents.getUint64ContentsCount();
      case BOOL -> contents.getBoolContentsCount();
      default -> 0;
    };
  }
}
