package dev.maas.worker.reliability;

import com.google.protobuf.ByteString;
import dev.maas.proto.inference.InferTensorContents;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferRequest.InferInputTensor;
import dev.maas.worker.tensor.DataType;
import dev.maas.worker.tensor.HostTensor;
import dev.maas.worker.tensor.Shapes;
import dev.maas.worker.tensor.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Random tensors for a signature, and their typed and raw protocol encodings, for tests. */
final class Tensors {

  private Tensors() {}

  /** A tensor of {@code spec} with {@code rows} rows of random, finite values. */
  static HostTensor random(TensorSpec spec, int rows, Random random) {
    long[] shape = spec.shape();
    shape[0] = rows;
    return random(spec.name(), spec.dataType(), shape, random);
  }

  /** A tensor of any shape with random, finite values. */
  static HostTensor random(String name, DataType type, long[] shape, Random random) {
    int elements = Math.toIntExact(Shapes.elementCount(shape));
    if (type == DataType.BYTES) {
      ByteString.Output out = ByteString.newOutput();
      for (int i = 0; i < elements; i++) {
        byte[] element = new byte[random.nextInt(12)];
        random.nextBytes(element);
        out.write(littleEndianInt(element.length), 0, 4);
        out.write(element, 0, element.length);
      }
      return new HostTensor(name, type, shape, out.toByteString());
    }
    ByteBuffer data =
        ByteBuffer.allocate(elements * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < elements; i++) {
      switch (type) {
        case FP32 -> data.putFloat(random.nextFloat() * 2 - 1);
        case FP64 -> data.putDouble(random.nextDouble() * 2 - 1);
        case BOOL -> data.put((byte) (random.nextBoolean() ? 1 : 0));
        case INT64 -> data.putLong(random.nextLong() >> 8);
        default -> {
          byte[] bits = new byte[type.byteSize()];
          random.nextBytes(bits);
          data.put(bits);
        }
      }
    }
    return new HostTensor(name, type, shape, ByteString.copyFrom(data.array()));
  }

  /** A copy of a FP32 or FP64 tensor with {@code value} written at element {@code element}. */
  static HostTensor withValue(HostTensor tensor, int element, double value) {
    byte[] data = tensor.data().toByteArray();
    ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    if (tensor.dataType() == DataType.FP32) {
      buffer.putFloat(element * 4, (float) value);
    } else {
      buffer.putDouble(element * 8, value);
    }
    return new HostTensor(
        tensor.name(), tensor.dataType(), tensor.shape(), ByteString.copyFrom(data));
  }

  /** A request carrying {@code inputs}, as raw contents or as typed contents. */
  static ModelInferRequest request(String model, List<HostTensor> inputs, boolean raw) {
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(model);
    for (HostTensor tensor : inputs) {
      InferInputTensor.Builder input =
          InferInputTensor.newBuilder()
              .setName(tensor.name())
              .setDatatype(tensor.dataType().protocolName())
              .addAllShape(Arrays.stream(tensor.shape()).boxed().toList());
      if (raw) {
        request.addRawInputContents(tensor.data());
      } else {
        input.setContents(typed(tensor.dataType(), tensor.data()));
      }
      request.addInputs(input);
    }
    return request.build();
  }

  /** The typed contents of raw elements. */
  static InferTensorContents typed(DataType type, ByteString raw) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    ByteBuffer in = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    while (in.hasRemaining()) {
      switch (type) {
        case FP32 -> contents.addFp32Contents(in.getFloat());
        case FP64 -> contents.addFp64Contents(in.getDouble());
        case INT64 -> contents.addInt64Contents(in.getLong());
        case INT32 -> contents.addIntContents(in.getInt());
        case INT16 -> contents.addIntContents(in.getShort());
        case INT8 -> contents.addIntContents(in.get());
        case UINT8 -> contents.addUintContents(Byte.toUnsignedInt(in.get()));
        case BOOL -> contents.addBoolContents(in.get() != 0);
        case BYTES -> {
          byte[] element = new byte[in.getInt()];
          in.get(element);
          contents.addBytesContents(ByteString.copyFrom(element));
        }
      }
    }
    return contents.build();
  }

  /** The raw encoding of typed contents. */
  static ByteString raw(DataType type, InferTensorContents contents) {
    ByteString.Output out = ByteString.newOutput();
    ByteBuffer element = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    switch (type) {
      case FP32 -> contents.getFp32ContentsList().forEach(v -> put(out, element.putFloat(0, v), 4));
      case FP64 ->
          contents.getFp64ContentsList().forEach(v -> put(out, element.putDouble(0, v), 8));
      case INT64 ->
          contents.getInt64ContentsList().forEach(v -> put(out, element.putLong(0, v), 8));
      case INT32 -> contents.getIntContentsList().forEach(v -> put(out, element.putInt(0, v), 4));
      case INT16 ->
          contents
              .getIntContentsList()
              .forEach(v -> put(out, element.putShort(0, (short) (int) v), 2));
      case INT8 -> contents.getIntContentsList().forEach(v -> out.write(v));
      case UINT8 -> contents.getUintContentsList().forEach(v -> out.write(v));
      case BOOL -> contents.getBoolContentsList().forEach(v -> out.write(v ? 1 : 0));
      case BYTES ->
          contents
              .getBytesContentsList()
              .forEach(
                  v -> {
                    out.write(littleEndianInt(v.size()), 0, 4);
                    out.write(v.toByteArray(), 0, v.size());
                  });
    }
    return out.toByteString();
  }

  private static void put(ByteString.Output out, ByteBuffer element, int size) {
    out.write(element.array(), 0, size);
  }

  private static byte[] littleEndianInt(int value) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
  }
}
