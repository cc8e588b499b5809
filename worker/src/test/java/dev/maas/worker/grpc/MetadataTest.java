package dev.maas.worker.grpc;

import static dev.maas.worker.grpc.StatusAssertions.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.proto.inference.ModelMetadataRequest;
import dev.maas.proto.inference.ModelMetadataResponse;
import dev.maas.proto.inference.ModelMetadataResponse.TensorMetadata;
import dev.maas.proto.inference.ModelReadyRequest;
import dev.maas.proto.inference.ServerLiveRequest;
import dev.maas.proto.inference.ServerMetadataRequest;
import dev.maas.proto.inference.ServerMetadataResponse;
import dev.maas.proto.inference.ServerReadyRequest;
import dev.maas.worker.testing.WorkerExtension;
import io.grpc.Status;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** ServerLive, ServerReady, ServerMetadata, ModelReady and ModelMetadata over the demo models. */
class MetadataTest {

  @RegisterExtension static final WorkerExtension worker = WorkerExtension.withDemoModels();

  private static final List<String> DEMO_MODELS =
      List.of("lenet", "binary_classifier", "affine", "strings", "dtypes");

  @Test
  void serverIsLiveAndReady() {
    assertThat(worker.blocking().serverLive(ServerLiveRequest.getDefaultInstance()).getLive())
        .isTrue();
    assertThat(worker.blocking().serverReady(ServerReadyRequest.getDefaultInstance()).getReady())
        .isTrue();
  }

  @Test
  void serverMetadata_namesTheWorkerAndItsExtensions() {
    ServerMetadataResponse metadata =
        worker.blocking().serverMetadata(ServerMetadataRequest.getDefaultInstance());

    assertThat(metadata.getName()).isEqualTo("maas-worker");
    assertThat(metadata.getVersion()).isNotEmpty();
    assertThat(metadata.getExtensionsList()).contains("model_repository", "statistics");
  }

  static Stream<Arguments> demoModelMetadata() {
    long[] rowsOfTwo = {-1, 2};
    return Stream.of(
        Arguments.of(
            "lenet",
            List.of(tensor("images", "FP32", -1, 32, 32, 3)),
            List.of(tensor("logits", "FP32", -1, 10), tensor("probabilities", "FP32", -1, 10))),
        Arguments.of(
            "binary_classifier",
            List.of(tensor("features", "FP32", -1, 100)),
            List.of(tensor("probability", "FP32", -1, 1))),
        Arguments.of(
            "affine", List.of(tensor("x", "FP32", -1, 4)), List.of(tensor("y", "FP32", -1, 4))),
        Arguments.of(
            "strings",
            List.of(tensor("ids", "INT64", -1, 3), tensor("text", "BYTES", -1)),
            List.of(
                tensor("ids_sum", "INT64", -1),
                tensor("text_length", "INT32", -1),
                tensor("text_upper", "BYTES", -1))),
        Arguments.of(
            "dtypes",
            // The worker lists a signature's tensors sorted by key.
            List.of(
                tensor("bool", "BOOL", rowsOfTwo),
                tensor("bytes", "BYTES", rowsOfTwo),
                tensor("fp32", "FP32", rowsOfTwo),
                tensor("fp64", "FP64", rowsOfTwo),
                tensor("int16", "INT16", rowsOfTwo),
                tensor("int32", "INT32", rowsOfTwo),
                tensor("int64", "INT64", rowsOfTwo),
                tensor("int8", "INT8", rowsOfTwo),
                tensor("uint8", "UINT8", rowsOfTwo)),
            List.of(
                tensor("bool_out", "BOOL", rowsOfTwo),
                tensor("bytes_out", "BYTES", rowsOfTwo),
                tensor("fp32_out", "FP32", rowsOfTwo),
                tensor("fp64_out", "FP64", rowsOfTwo),
                tensor("int16_out", "INT16", rowsOfTwo),
                tensor("int32_out", "INT32", rowsOfTwo),
                tensor("int64_out", "INT64", rowsOfTwo),
                tensor("int8_out", "INT8", rowsOfTwo),
                tensor("uint8_out", "UINT8", rowsOfTwo))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("demoModelMetadata")
  void modelMetadata_describesTheDemoModel(
      String model, List<TensorMetadata> inputs, List<TensorMetadata> outputs) {
    ModelMetadataResponse expected =
        ModelMetadataResponse.newBuilder()
            .setName(model)
            .addVersions("1")
            .setPlatform("tensorflow_savedmodel")
            .addAllInputs(inputs)
            .addAllOutputs(outputs)
            .build();

    assertThat(worker.blocking().modelMetadata(metadataRequest(model, ""))).isEqualTo(expected);
    assertThat(worker.blocking().modelMetadata(metadataRequest(model, "1"))).isEqualTo(expected);
  }

  @Test
  void modelReady_isTrueForEveryDemoModel() {
    for (String model : DEMO_MODELS) {
      assertThat(worker.blocking().modelReady(readyRequest(model, "")).getReady())
          .as("%s ready", model)
          .isTrue();
      assertThat(worker.blocking().modelReady(readyRequest(model, "1")).getReady())
          .as("%s version 1 ready", model)
          .isTrue();
    }
  }

  @Test
  void modelReady_unknownModelOrVersion_isFalse() {
    assertThat(worker.blocking().modelReady(readyRequest("nope", "")).getReady()).isFalse();
    assertThat(worker.blocking().modelReady(readyRequest("lenet", "7")).getReady()).isFalse();
  }

  @Test
  void modelReady_emptyName_isInvalidArgument() {
    assertFailsWith(
            Status.Code.INVALID_ARGUMENT, () -> worker.blocking().modelReady(readyRequest("", "")))
        .contains("model name is empty");
  }

  @Test
  void modelMetadata_unknownModel_isNotFoundNamingIt() {
    assertFailsWith(
            Status.Code.NOT_FOUND,
            () -> worker.blocking().modelMetadata(metadataRequest("no_such_model", "")))
        .contains("'no_such_model'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "0", "-1", "1.0"})
  void modelMetadata_versionThatIsNotAPositiveNumber_isInvalidArgument(String version) {
    assertFailsWith(
            Status.Code.INVALID_ARGUMENT,
            () -> worker.blocking().modelMetadata(metadataRequest("lenet", version)))
        .contains("'" + version + "'");
  }

  @Test
  void modelMetadata_unknownVersion_isNotFoundNamingIt() {
    assertFailsWith(
            Status.Code.NOT_FOUND,
            () -> worker.blocking().modelMetadata(metadataRequest("lenet", "7")))
        .contains("version 7", "'lenet'");
  }

  @Test
  void modelMetadata_emptyName_isInvalidArgument() {
    assertFailsWith(
            Status.Code.INVALID_ARGUMENT,
            () -> worker.blocking().modelMetadata(metadataRequest("", "")))
        .contains("model name is empty");
  }

  private static TensorMetadata tensor(String name, String datatype, long... shape) {
    return TensorMetadata.newBuilder()
        .setName(name)
        .setDatatype(datatype)
        .addAllShape(Arrays.stream(shape).boxed().toList())
        .build();
  }

  private static ModelMetadataRequest metadataRequest(String name, String version) {
    return ModelMetadataRequest.newBuilder().setName(name).setVersion(version).build();
  }

  private static ModelReadyRequest readyRequest(String name, String version) {
    return ModelReadyRequest.newBuilder().setName(name).setVersion(version).build();
  }
}
