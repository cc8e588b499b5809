package dev.maas.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.maas.worker.demo.DtypesModel;
import dev.maas.worker.runtime.SessionSettings.Device;
import dev.maas.worker.tensor.DataType;
import dev.maas.worker.tensor.HostTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;

class SavedModelRuntimeLoadTest {

  @TempDir Path dir;

  @Test
  void load_ofMissingDirectory_failsNamingIt() {
    Path missing = dir.resolve("absent");

    assertThatThrownBy(() -> load(missing, "serving_default"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("not a directory");
  }

  @Test
  void load_ofDirectoryWithoutSavedModel_failsSayingSo() throws IOException {
    Files.writeString(dir.resolve("model.h5"), "not a SavedModel");

    assertThatThrownBy(() -> load(dir, "serving_default"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("is not a SavedModel");
  }

  @Test
  void load_ofCorruptSavedModel_failsWithTensorFlowsReason() throws IOException {
    Files.write(dir.resolve("saved_model.pb"), new byte[] {1, 2, 3, 4, 5});

    assertThatThrownBy(() -> load(dir, "serving_default"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageStartingWith("TensorFlow cannot load " + dir)
        .hasCauseInstanceOf(RuntimeException.class);
  }

  @Test
  void load_ofModelWithoutServingTag_failsWithTensorFlowsReason() throws IOException {
    try (Graph graph = new Graph();
        Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class);
      SavedModelBundle.exporter(dir.toString())
          .withTags("train")
          .withSession(session)
          .withSignature(Signature.builder().input("x", x).output("y", tf.identity(x)).build())
          .export();
    }

    assertThatThrownBy(() -> load(dir, "serving_default"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("serve");
  }

  @Test
  void load_withUnknownSignature_failsNamingTheSignaturesThatExist() throws IOException {
    DtypesModel.export(dir);

    assertThatThrownBy(() -> load(dir, "predict"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessage("the model has no signature 'predict'; its signatures are [serving_default]");
  }

  @Test
  void load_ofModelWithUnservedType_failsNamingTensorAndType() throws IOException {
    export(
        dir,
        (tf, signature) -> {
          Placeholder<TFloat16> half =
              tf.withName("half").placeholder(TFloat16.class, Placeholder.shape(Shape.of(-1)));
          signature.input("half_in", half).output("y", tf.identity(half));
        });

    assertThatThrownBy(() -> load(dir, "serving_default"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("'half_in'")
        .hasMessageContaining("DT_HALF");
  }

  @Test
  void load_ofModelWithUnknownRank_failsNamingTheTensor() throws IOException {
    export(
        dir,
        (tf, signature) -> {
          Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class);
          signature.input("anything", x).output("y", tf.identity(x));
        });

    assertThatThrownBy(() -> load(dir, "serving_default"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessage("input 'anything' has an unknown rank");
  }

  @Test
  void load_ofModelWithScalarAndFixedShapes_reportsThemAsDeclared() throws Exception {
    export(
        dir,
        (tf, signature) -> {
          Placeholder<TFloat32> x =
              tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(3, -1, 4)));
          signature.input("x", x).output("total", tf.sum(x, tf.constant(new int[] {0, 1, 2})));
        });

    try (SavedModelRuntime runtime = load(dir, "serving_default")) {
      assertThat(runtime.signature().input("x").orElseThrow().shape()).containsExactly(3, -1, 4);
      assertThat(runtime.signature().output("total").orElseThrow().shape()).isEmpty();
    }
  }

  @Test
  void load_withGpuSettings_runsOnTheCpuWhenNoGpuIsThere() throws Exception {
    DtypesModel.export(dir);
    SessionSettings gpu = new SessionSettings(1, 1, Device.GPU);

    try (SavedModelRuntime runtime = SavedModelRuntime.load(dir, DtypesModel.SIGNATURE, gpu)) {
      List<HostTensor> outputs =
          runtime.run(
              runtime.signature().inputs().stream()
                  .map(
                      s ->
                          new HostTensor(
                              s.name(), s.dataType(), new long[] {0, 2}, ByteString.EMPTY))
                  .toList());
      assertThat(outputs).extracting(HostTensor::dataType).contains(DataType.INT8, DataType.INT16);
    }
  }

  private static SavedModelRuntime load(Path modelDir, String signature) throws ModelLoadException {
    return SavedModelRuntime.load(
        modelDir, signature, new SessionSettings(0, 0, SessionSettings.Device.CPU));
  }

  /** Exports a one-signature model whose graph and signature {@code build} defines. */
  private static void export(Path modelDir, BiConsumer<Ops, Signature.Builder> build)
      throws IOException {
    try (Graph graph = new Graph();
        Session session = new Session(graph)) {
      Signature.Builder signature = Signature.builder().key("serving_default");
      build.accept(Ops.create(graph), signature);
      SavedModelBundle.exporter(modelDir.toString())
          .withSession(session)
          .withSignature(signature.build())
          .export();
    }
  }
}
