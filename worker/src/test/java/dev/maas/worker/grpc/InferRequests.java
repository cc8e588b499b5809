package dev.maas.worker.grpc;

import com.google.protobuf.ByteString;
import dev.maas.proto.inference.InferTensorContents;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferRequest.InferInputTensor;
import dev.maas.proto.inference.ModelInferResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/** Builds inference requests and reads responses in tests. */
final class InferRequests {

  private InferRequests() {}

  /** A request with one FP32 input sent as typed contents. */
  static ModelInferRequest typedFloats(String model, String input, long[] shape, float[] values) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (float v : values) {
      contents.addFp32Contents(v);
    }
    return ModelInferRequest.newBuilder()
        .setModelName(model)
        .addInputs(
            InferInputTensor.newBuilder()
                .setName(input)
                .setDatatype("FP32")
                .addAllShape(Arrays.stream(shape).boxed().toList())
                .setContents(contents))
        .build();
  }

  /** A request with one FP32 input sent as raw little-endian bytes. */
  static ModelInferRequest rawFloats(String model, String input, long[] shape, float[] values) {
    return ModelInferRequest.newBuilder()
        .setModelName(model)
        .addInputs(
            InferInputTensor.newBuilder()
                .setName(input)
                .setDatatype("FP32")
                .addAllShape(Arrays.stream(shape).boxed().toList()))
        .addRawInputContents(floatsToBytes(values))
        .build();
  }

  /** Little-endian bytes of floats. */
  static ByteString floatsToBytes(float[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return ByteString.copyFrom(buffer.array());
  }

  /** The floats of output {@code index}, typed or raw, whichever the response used. */
  static float[] outputFloats(ModelInferResponse response, int index) {
    if (response.getRawOutputContentsCount() > 0) {
      ByteBuffer buffer =
          response
              .getRawOutputContents(index)
              .asReadOnlyByteBuffer()
              .order(ByteOrder.LITTLE_ENDIAN);
      float[] values = new float[buffer.remaining() / 4];
      buffer.asFloatBuffer().get(values);
      return values;
    }
    InferTensorContents contents = response.getOutputs(index).getContents();
    float[] values = new float[contents.getFp32ContentsCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = contents.getFp32Contents(i);
    }
    return values;
  }

  /** An input tensor with a name, protocol datatype and shape, without contents. */
  static InferInputTensor.Builder input(String name, String datatype, long... shape) {
    return InferInputTensor.newBuilder()
        .setName(name)
        .setDatatype(datatype)
        .addAllShape(Arrays.stream(shape).boxed().toList());
  }

  /** The output called {@code name}. */
  static ModelInferResponse.InferOutputTensor output(ModelInferResponse response, String name) {
    return response.getOutputs(outputIndex(response, name));
  }

  /** The raw contents of the output called {@code name}, in a response to a raw request. */
  static ByteString rawOutput(ModelInferResponse response, String name) {
    return response.getRawOutputContents(outputIndex(response, name));
  }

  /** The names of the response's outputs, in response order. */
  static List<String> outputNames(ModelInferResponse response) {
    return response.getOutputsList().stream()
        .map(ModelInferResponse.InferOutputTensor::getName)
        .toList();
  }

  /** The index of the output called {@code name}. */
  static int outputIndex(ModelInferResponse response, String name) {
    for (int i = 0; i < response.getOutputsCount(); i++) {
      if (response.getOutputs(i).getName().equals(name)) {
        return i;
      }
    }
    throw new AssertionError("no output " + name + " in " + response.getOutputsList());
  }
}
