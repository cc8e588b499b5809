package dev.maas.worker.testing;

import dev.maas.proto.inference.InferTensorContents;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferRequest.InferInputTensor;
import dev.maas.proto.inference.ModelInferResponse;
import java.util.Arrays;

/** Builds Open Inference Protocol requests with one FP32 input and reads FP32 answers. */
public final class InferenceRequests {

  private InferenceRequests() {}

  /** A request for the latest ready version, input {@code x} sent as typed contents. */
  public static ModelInferRequest floats(String model, long[] shape, float... values) {
    return floats(model, "", shape, values);
  }

  /** A request for {@code version} (empty: the latest ready one), input {@code x} typed. */
  public static ModelInferRequest floats(
      String model, String version, long[] shape, float... values) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (float v : values) {
      contents.addFp32Contents(v);
    }
    return ModelInferRequest.newBuilder()
        .setModelName(model)
        .setModelVersion(version)
        .addInputs(
            InferInputTensor.newBuilder()
                .setName("x")
                .setDatatype("FP32")
                .addAllShape(Arrays.stream(shape).boxed().toList())
                .setContents(contents))
        .build();
  }

  /** The floats of the response's first output, sent as typed contents. */
  public static float[] outputFloats(ModelInferResponse response) {
    InferTensorContents contents = response.getOutputs(0).getContents();
    float[] values = new float[contents.getFp32ContentsCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = contents.getFp32Contents(i);
    }
    return values;
  }
}
