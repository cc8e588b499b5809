package dev.maas.standalone.testing;

import com.google.protobuf.ByteString;
import dev.maas.proto.inference.InferTensorContents;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferRequest.InferInputTensor;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.ModelInferResponse.InferOutputTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** FP32 inference requests and their answers, in both tensor encodings. */
public final class Tensors {

  private Tensors() {}

  /** A request with one FP32 input of {@code shape}, its elements as typed contents. */
  public static ModelInferRequest typed(String model, String input, float[] values, long... shape) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (float value : values) {
      contents.addFp32Contents(value);
    }
    return ModelInferRequest.newBuilder()
        .setModelName(model)
        .addInputs(tensor(input, shape).setContents(contents))
        .build();
  }

  /** The same request with its elements as raw little-endian bytes. */
  public static ModelInferRequest raw(String model, String input, float[] values, long... shape) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      bytes.putFloat(value);
    }
    return ModelInferRequest.newBuilder()
        .setModelName(model)
        .addInputs(tensor(input, shape))
        .addRawInputContents(ByteString.copyFrom(bytes.array()))
        .build();
  }

  /** An affine request: one row {@code x} of 4. */
  public static ModelInferRequest affine(String model, String version, float... x) {
    return typed(model, "x", x, 1, 4).toBuilder().setModelVersion(version).build();
  }

  /** The elements of {@code output}, from typed contents or from the raw bytes. */
  public static List<Float> output(ModelInferResponse response, String output) {
    for (int i = 0; i < response.getOutputsCount(); i++) {
      InferOutputTensor tensor = response.getOutputs(i);
      if (tensor.getName().equals(output)) {
        return response.getRawOutputContentsCount() > 0
            ? decode(response.getRawOutputContents(i))
            : tensor.getContents().getFp32ContentsList();
      }
    }
    throw new AssertionError("no output " + output + " in " + response.getOutputsList());
  }

  /** The shape of {@code output}. */
  public static List<Long> shape(ModelInferResponse response, String output) {
    return response.getOutputsList().stream()
        .filter(tensor -> tensor.getName().equals(output))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no output " + output))
        .getShapeList();
  }

  /** {@code count} floats in [0, 1) from a fixed seed. */
  public static float[] randomFloats(int count, long seed) {
    Random random = new Random(seed);
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = random.nextFloat();
    }
    return values;
  }

  private static InferInputTensor.Builder tensor(String input, long... shape) {
    InferInputTensor.Builder tensor =
        InferInputTensor.newBuilder().setName(input).setDatatype("FP32");
    for (long dimension : shape) {
      tensor.addShape(dimension);
    }
    return tensor;
  }

  private static List<Float> decode(ByteString raw) {
    ByteBuffer bytes = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    List<Float> values = new ArrayList<>(raw.size() / 4);
    while (bytes.remaining() >= 4) {
      values.add(bytes.getFloat());
    }
    return values;
  }
}
