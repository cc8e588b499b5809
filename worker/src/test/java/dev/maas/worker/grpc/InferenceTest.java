package dev.maas.worker.grpc;

import static dev.maas.worker.grpc.StatusAssertions.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferRequest.InferRequestedOutputTensor;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.worker.demo.DemoModels;
import dev.maas.worker.testing.WorkerExtension;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * ModelInfer answers: the same numbers as TensorFlow run directly on the same SavedModel, requested
 * outputs, versions and unknown models.
 */
class InferenceTest {

  @RegisterExtension static final WorkerExtension worker = WorkerExtension.withDemoModels();

  @TempDir Path exportDir;

  private final Random random = new Random(42);

  @Test
  void lenet_answersAsTensorFlowDoesDirectly_typedAndRaw() {
    long[] shape = {3, 32, 32, 3};
    float[] images = randomFloats(3 * 32 * 32 * 3);
    Map<String, float[]> expected =
        runDirectly(DemoModels::exportLenet, "images", shape, images, "logits", "probabilities");

    ModelInferResponse typed =
        worker.blocking().modelInfer(InferRequests.typedFloats("lenet", "images", shape, images));
    ModelInferResponse raw =
        worker.blocking().modelInfer(InferRequests.rawFloats("lenet", "images", shape, images));

    for (ModelInferResponse response : List.of(typed, raw)) {
      assertThat(InferRequests.outputNames(response)).containsExactly("logits", "probabilities");
      for (String output : List.of("logits", "probabilities")) {
        // Same graph, same batch, same machine and thread pools: TensorFlow computes bit for bit
        // the same floats, so any difference is the worker's doing.
        assertThat(
                InferRequests.outputFloats(response, InferRequests.outputIndex(response, output)))
            .as(output)
            .containsExactly(expected.get(output));
        assertThat(InferRequests.output(response, output).getShapeList()).containsExactly(3L, 10L);
        assertThat(InferRequests.output(response, output).getDatatype()).isEqualTo("FP32");
      }
    }
    assertThat(typed.getRawOutputContentsCount()).isZero();
    assertThat(raw.getRawOutputContentsCount()).isEqualTo(2);
    assertThat(raw.getOutputs(0).hasContents()).isFalse();
  }

  @Test
  void binaryClassifier_answersAsTensorFlowDoesDirectly_typedAndRaw() {
    long[] shape = {3, 100};
    float[] features = randomFloats(300);
    Map<String, float[]> expected =
        runDirectly(DemoModels::exportBinaryClassifier, "features", shape, features, "probability");

    ModelInferResponse typed =
        worker
            .blocking()
            .modelInfer(
                InferRequests.typedFloats("binary_classifier", "features", shape, features));
    ModelInferResponse raw =
        worker
            .blocking()
            .modelInfer(InferRequests.rawFloats("binary_classifier", "features", shape, features));

    for (ModelInferResponse response : List.of(typed, raw)) {
      assertThat(InferRequests.outputNames(response)).containsExactly("probability");
      assertThat(InferRequests.outputFloats(response, 0))
          .containsExactly(expected.get("probability"));
      assertThat(response.getOutputs(0).getShapeList()).containsExactly(3L, 1L);
    }
  }

  @Test
  void requestedOutputs_onlyProbabilities_returnsOnlyThatOutput() {
    long[] shape = {2, 32, 32, 3};
    float[] images = randomFloats(2 * 32 * 32 * 3);
    ModelInferResponse all =
        worker.blocking().modelInfer(InferRequests.typedFloats("lenet", "images", shape, images));

    ModelInferResponse onlyProbabilities =
        worker
            .blocking()
            .modelInfer(
                withOutputs(
                    InferRequests.typedFloats("lenet", "images", shape, images), "probabilities"));

    assertThat(InferRequests.outputNames(onlyProbabilities)).containsExactly("probabilities");
    assertThat(InferRequests.outputFloats(onlyProbabilities, 0))
        .containsExactly(
            InferRequests.outputFloats(all, InferRequests.outputIndex(all, "probabilities")));
  }

  @Test
  void requestedOutputs_raw_comeBackInRequestOrderWithMatchingRawContents() {
    long[] shape = {2, 32, 32, 3};
    float[] images = randomFloats(2 * 32 * 32 * 3);
    ModelInferResponse typed =
        worker.blocking().modelInfer(InferRequests.typedFloats("lenet", "images", shape, images));

    ModelInferResponse raw =
        worker
            .blocking()
            .modelInfer(
                withOutputs(
                    InferRequests.rawFloats("lenet", "images", shape, images),
                    "probabilities",
                    "logits"));

    assertThat(InferRequests.outputNames(raw)).containsExactly("probabilities", "logits");
    assertThat(raw.getRawOutputContentsCount()).isEqualTo(2);
    assertThat(RawTensors.toFloats(raw.getRawOutputContents(0)))
        .containsExactly(
            InferRequests.outputFloats(typed, InferRequests.outputIndex(typed, "probabilities")));
    assertThat(RawTensors.toFloats(raw.getRawOutputContents(1)))
        .containsExactly(
            InferRequests.outputFloats(typed, InferRequests.outputIndex(typed, "logits")));
  }

  @Test
  void response_echoesModelNameVersionAndRequestId() {
    ModelInferRequest request =
        InferRequests.typedFloats("affine", "x", new long[] {1, 4}, new float[] {1, 2, 3, 4})
            .toBuilder()
            .setModelVersion("1")
            .setId("request-17")
            .build();

    ModelInferResponse response = worker.blocking().modelInfer(request);

    assertThat(response.getModelName()).isEqualTo("affine");
    assertThat(response.getModelVersion()).isEqualTo("1");
    assertThat(response.getId()).isEqualTo("request-17");
    assertThat(InferRequests.outputFloats(response, 0)).containsExactly(3f, 5f, 7f, 9f);
  }

  @Test
  void infer_unknownModel_isNotFoundNamingIt() {
    ModelInferRequest request =
        InferRequests.typedFloats("no_such_model", "x", new long[] {1, 4}, new float[4]);

    assertFailsWith(Status.Code.NOT_FOUND, () -> worker.blocking().modelInfer(request))
        .contains("'no_such_model'");
  }

  @Test
  void infer_unknownVersion_isNotFoundNamingIt() {
    ModelInferRequest request =
        InferRequests.typedFloats("affine", "x", new long[] {1, 4}, new float[4]).toBuilder()
            .setModelVersion("7")
            .build();

    assertFailsWith(Status.Code.NOT_FOUND, () -> worker.blocking().modelInfer(request))
        .contains("version 7", "'affine'");
  }

  @Test
  void infer_versionThatIsNotANumber_isInvalidArgument() {
    ModelInferRequest request =
        InferRequests.typedFloats("affine", "x", new long[] {1, 4}, new float[4]).toBuilder()
            .setModelVersion("abc")
            .build();

    assertFailsWith(Status.Code.INVALID_ARGUMENT, () -> worker.blocking().modelInfer(request))
        .contains("'abc'");
  }

  private float[] randomFloats(int count) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = random.nextFloat() * 2 - 1;
    }
    return values;
  }

  private static ModelInferRequest withOutputs(ModelInferRequest request, String... outputs) {
    ModelInferRequest.Builder builder = request.toBuilder();
    for (String output : outputs) {
      builder.addOutputs(InferRequestedOutputTensor.newBuilder().setName(output));
    }
    return builder.build();
  }

  /** Exports a model and runs its serving signature with TensorFlow Java, no worker involved. */
  private Map<String, float[]> runDirectly(
      Consumer<Path> export, String input, long[] shape, float[] values, String... outputs) {
    Path versionDir = exportDir.resolve("1");
    export.accept(versionDir);
    Map<String, float[]> answers = new LinkedHashMap<>();
    try (SavedModelBundle bundle =
            SavedModelBundle.load(versionDir.toString(), DemoModels.SERVING_TAG);
        TFloat32 feed = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
        Result result = bundle.function(DemoModels.SERVING_SIGNATURE).call(Map.of(input, feed))) {
      for (String output : outputs) {
        Tensor tensor = result.get(output).orElseThrow();
        float[] answer = new float[Math.toIntExact(tensor.shape().size())];
        ((TFloat32) tensor).copyTo(DataBuffers.of(answer, false, false));
        answers.put(output, answer);
      }
    }
    return answers;
  }
}
