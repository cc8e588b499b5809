package dev.maas.controlplane.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maas.controlplane.model.ModelSignature;
import dev.maas.controlplane.model.TensorSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

class SavedModelSignaturesTest {

  private static SavedModel withInput(TensorInfo input) {
    return TestArchives.savedModel(
        List.of("serve"),
        Map.of(
            "serving_default",
            TestArchives.signature(
                Map.of("x", input), Map.of("y", TestArchives.tensor(DataType.DT_FLOAT, -1)))));
  }

  @Test
  void servingSignatures_areReadWithProtocolDatatypes() throws Exception {
    assertThat(SavedModelSignatures.read(TestArchives.servingModel()))
        .containsExactly(
            new ModelSignature(
                "serving_default",
                List.of(new TensorSpec("x", "FP32", List.of(-1L, 784L))),
                List.of(new TensorSpec("probabilities", "FP32", List.of(-1L, 10L)))));
  }

  @Test
  void unknownRank_isRejected() {
    TensorInfo unknownRank =
        TensorInfo.newBuilder()
            .setName("x:0")
            .setDtype(DataType.DT_FLOAT)
            .setTensorShape(TensorShapeProto.newBuilder().setUnknownRank(true))
            .build();

    assertThatThrownBy(() -> SavedModelSignatures.read(withInput(unknownRank)))
        .isInstanceOf(RejectedArchiveException.class)
        .hasMessageContaining("input 'x' of signature 'serving_default' has an unknown rank");
  }

  @Test
  void sparseTensor_isRejected() {
    TensorInfo sparse =
        TensorInfo.newBuilder()
            .setCooSparse(TensorInfo.CooSparse.newBuilder().setValuesTensorName("v:0"))
            .setDtype(DataType.DT_FLOAT)
            .build();

    assertThatThrownBy(() -> SavedModelSignatures.read(withInput(sparse)))
        .isInstanceOf(RejectedArchiveException.class)
        .hasMessageContaining("sparse or composite");
  }

  @Test
  void graphTaggedServeAndMore_isNotTheServingGraph() {
    SavedModel gpuOnly =
        TestArchives.savedModel(
            List.of("serve", "gpu"),
            TestArchives.servingModel().getMetaGraphs(0).getSignatureDefMap());

    assertThatThrownBy(() -> SavedModelSignatures.read(gpuOnly))
        .isInstanceOf(RejectedArchiveException.class)
        .hasMessageContaining("[serve, gpu]");
  }

  @Test
  void theServeGraphIsFound_amongOthers() throws Exception {
    SavedModel two =
        TestArchives.servingModel().toBuilder()
            .addMetaGraphs(0, TestArchives.savedModel(List.of("train"), Map.of()).getMetaGraphs(0))
            .build();

    assertThat(SavedModelSignatures.read(two))
        .extracting(ModelSignature::name)
        .containsExactly("serving_default");
  }

  @Test
  void entryNames_areNormalized_orRejected() throws Exception {
    assertThat(ArchiveInspector.checkedName("./saved_model.pb")).isEqualTo("saved_model.pb");
    assertThat(ArchiveInspector.checkedName("./variables/")).isEqualTo("variables");
    assertThat(ArchiveInspector.checkedName("./")).isEmpty();
    assertThat(ArchiveInspector.checkedName("a//b/./c")).isEqualTo("a/b/c");
    assertThatThrownBy(() -> ArchiveInspector.checkedName("a/../../b"))
        .isInstanceOf(RejectedArchiveException.class);
    assertThatThrownBy(() -> ArchiveInspector.checkedName("/abs"))
        .isInstanceOf(RejectedArchiveException.class);
    assertThatThrownBy(() -> ArchiveInspector.checkedName(".."))
        .isInstanceOf(RejectedArchiveException.class);
  }
}
