package dev.maas.worker.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

class DemoModelsTest {

  @TempDir static Path repository;

  @BeforeAll
  static void exportRepository() {
    DemoModels.exportRepository(repository);
  }

  @Test
  void exportRepository_writesVersionOneOfEveryModelAndNothingElse() throws IOException {
    try (Stream<Path> entries = Files.list(repository)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              DemoModels.LENET,
              DemoModels.BINARY_CLASSIFIER,
              DemoModels.AFFINE,
              DemoModels.STRINGS,
              DemoModels.DTYPES);
    }
    for (String model : List.of("lenet", "binary_classifier", "affine", "strings", "dtypes")) {
      assertThat(repository.resolve(model).resolve("1").resolve("saved_model.pb")).isRegularFile();
      assertThat(repository.resolve(model).resolve("1").resolve("variables")).isDirectory();
    }
  }

  @Test
  void exportRepository_writesBatchingConfigOnlyForBatchedModels() throws IOException {
    assertThat(Files.readString(repository.resolve("lenet/config.json")))
        .isEqualTo(
            "{\"max_batch_size\": 32, \"dynamic_batching\": {\"max_queue_delay_microseconds\": 500}}");
    assertThat(Files.readString(repository.resolve("binary_classifier/config.json")))
        .isEqualTo(
            "{\"max_batch_size\": 64, \"dynamic_batching\": {\"max_queue_delay_microseconds\": 500}}");
    assertThat(repository.resolve("affine/config.json")).doesNotExist();
    assertThat(repository.resolve("strings/config.json")).doesNotExist();
    assertThat(repository.resolve("dtypes/config.json")).doesNotExist();
  }

  @Test
  void exportRepository_skipsModelDirectoriesThatAlreadyExist(@TempDir Path dir)
      throws IOException {
    Path marker = Files.createDirectories(dir.resolve("lenet")).resolve("marker");
    Files.writeString(marker, "mine");

    DemoModels.exportRepository(dir);

    try (Stream<Path> lenetEntries = Files.list(dir.resolve("lenet"))) {
      assertThat(lenetEntries).containsExactly(marker);
    }
    assertThat(dir.resolve("affine/1/saved_model.pb")).isRegularFile();
  }

  @Test
  void lenet_hasImagesToLogitsAndProbabilitiesSignature() {
    try (SavedModelBundle bundle = load("lenet")) {
      Signature signature = signature(bundle);
      assertThat(signature.getInputs()).containsOnlyKeys("images");
      assertThat(signature.getOutputs()).containsOnlyKeys("logits", "probabilities");
      assertDescription(signature.getInputs().get("images"), DataType.DT_FLOAT, -1, 32, 32, 3);
      assertDescription(signature.getOutputs().get("logits"), DataType.DT_FLOAT, -1, 10);
      assertDescription(signature.getOutputs().get("probabilities"), DataType.DT_FLOAT, -1, 10);
    }
  }

  @Test
  void lenet_probabilitiesAreSoftmaxOfLogits() {
    float[][] logits;
    float[][] probabilities;
    try (SavedModelBundle bundle = load("lenet");
        TFloat32 images = randomImages(2, 42L);
        Result result = call(bundle, Map.of("images", images))) {
      logits = toMatrix((TFloat32) result.get("logits").orElseThrow());
      probabilities = toMatrix((TFloat32) result.get("probabilities").orElseThrow());
    }
    assertThat(logits).hasNumberOfRows(2);
    assertThat(probabilities).hasNumberOfRows(2);
    for (int row = 0; row < 2; row++) {
      float[] expected = softmax(logits[row]);
      double sum = 0;
      for (int k = 0; k < 10; k++) {
        assertThat(probabilities[row][k]).isCloseTo(expected[k], within(1e-5f));
        sum += probabilities[row][k];
      }
      assertThat(sum).isCloseTo(1.0, within(1e-5));
    }
    // The network is not degenerate: the two images get different logits.
    assertThat(logits[0]).isNotEqualTo(logits[1]);
  }

  @Test
  void exportLenet_twiceGivesIdenticalOutputs(@TempDir Path dir) {
    DemoModels.exportLenet(dir.resolve("a"));
    DemoModels.exportLenet(dir.resolve("b"));

    assertThat(lenetLogits(dir.resolve("a"))).isDeepEqualTo(lenetLogits(dir.resolve("b")));
  }

  @Test
  void binaryClassifier_mapsFeaturesToOneProbability() {
    try (SavedModelBundle bundle = load("binary_classifier");
        TFloat32 features = randomFloats(Shape.of(3, 100), 7L);
        Result result = call(bundle, Map.of("features", features))) {
      Signature signature = signature(bundle);
      assertThat(signature.getInputs()).containsOnlyKeys("features");
      assertThat(signature.getOutputs()).containsOnlyKeys("probability");
      assertDescription(signature.getInputs().get("features"), DataType.DT_FLOAT, -1, 100);
      assertDescription(signature.getOutputs().get("probability"), DataType.DT_FLOAT, -1, 1);

      TFloat32 probability = (TFloat32) result.get("probability").orElseThrow();
      assertThat(probability.shape()).isEqualTo(Shape.of(3, 1));
      for (int i = 0; i < 3; i++) {
        assertThat(probability.getFloat(i, 0)).isStrictlyBetween(0f, 1f);
      }
    }
  }

  @Test
  void affine_versionOneComputesTwoXPlusOne() {
    try (SavedModelBundle bundle = load("affine")) {
      Signature signature = signature(bundle);
      assertDescription(signature.getInputs().get("x"), DataType.DT_FLOAT, -1, 4);
      assertDescription(signature.getOutputs().get("y"), DataType.DT_FLOAT, -1, 4);
      assertThat(signature.getOutputs()).containsOnlyKeys("y");

      assertThat(affine(bundle, new float[] {0f, 1f, -2.5f, 10f, 0.25f, -1f, 3f, 100f}))
          .containsExactly(1f, 3f, -4f, 21f, 1.5f, -1f, 7f, 201f);
    }
  }

  @Test
  void exportAffine_usesTheGivenScaleAndOffset(@TempDir Path dir) {
    DemoModels.exportAffine(dir.resolve("2"), 3f, 1f);

    try (SavedModelBundle bundle = SavedModelBundle.load(dir.resolve("2").toString(), "serve")) {
      assertThat(affine(bundle, new float[] {0f, 1f, -2f, 4f})).containsExactly(1f, 4f, -5f, 13f);
    }
  }

  @Test
  void exportAffine_intoExistingVersionFailsAndLeavesNoStagingDirectory(@TempDir Path dir)
      throws IOException {
    Path version = Files.createDirectories(dir.resolve("1"));
    Files.writeString(version.resolve("keep"), "x");

    assertThatThrownBy(() -> DemoModels.exportAffine(version, 2f, 1f))
        .isInstanceOf(UncheckedIOException.class);

    try (Stream<Path> entries = Files.list(dir)) {
      assertThat(entries).containsExactly(version);
    }
    assertThat(version.resolve("keep")).hasContent("x");
  }

  @Test
  void strings_hasIntAndStringSignature() {
    try (SavedModelBundle bundle = load("strings")) {
      Signature signature = signature(bundle);
      assertThat(signature.getInputs()).containsOnlyKeys("ids", "text");
      assertThat(signature.getOutputs()).containsOnlyKeys("ids_sum", "text_length", "text_upper");
      assertDescription(signature.getInputs().get("ids"), DataType.DT_INT64, -1, 3);
      assertDescription(signature.getInputs().get("text"), DataType.DT_STRING, -1);
      assertDescription(signature.getOutputs().get("ids_sum"), DataType.DT_INT64, -1);
      assertDescription(signature.getOutputs().get("text_length"), DataType.DT_INT32, -1);
      assertDescription(signature.getOutputs().get("text_upper"), DataType.DT_STRING, -1);
    }
  }

  @Test
  void strings_sumsIdsAndMeasuresAndUppercasesText() {
    long[] ids = {1, 2, 3, -10, 0, 5_000_000_000L};
    try (SavedModelBundle bundle = load("strings");
        TInt64 idsTensor = TInt64.tensorOf(Shape.of(2, 3), DataBuffers.of(ids, true, false));
        TString text = TString.vectorOf("hello, World", "héllo");
        Result result = call(bundle, Map.of("ids", idsTensor, "text", text))) {
      TInt64 sums = (TInt64) result.get("ids_sum").orElseThrow();
      TInt32 lengths = (TInt32) result.get("text_length").orElseThrow();
      TString upper = (TString) result.get("text_upper").orElseThrow();

      assertThat(sums.shape()).isEqualTo(Shape.of(2));
      assertThat(new long[] {sums.getLong(0), sums.getLong(1)}).containsExactly(6L, 4_999_999_990L);
      // Lengths are in bytes: "é" is two bytes in UTF-8.
      assertThat(new int[] {lengths.getInt(0), lengths.getInt(1)}).containsExactly(12, 6);
      // Upper-casing is ASCII-only; other bytes pass through unchanged.
      assertThat(upper.asBytes().getObject(0))
          .isEqualTo("HELLO, WORLD".getBytes(StandardCharsets.UTF_8));
      assertThat(upper.asBytes().getObject(1)).isEqualTo("HéLLO".getBytes(StandardCharsets.UTF_8));
    }
  }

  private static SavedModelBundle load(String model) {
    return SavedModelBundle.load(repository.resolve(model).resolve("1").toString(), "serve");
  }

  private static Signature signature(SavedModelBundle bundle) {
    return bundle.function(DemoModels.SERVING_SIGNATURE).signature();
  }

  private static Result call(SavedModelBundle bundle, Map<String, Tensor> inputs) {
    return bundle.function(DemoModels.SERVING_SIGNATURE).call(inputs);
  }

  private static void assertDescription(
      Signature.TensorDescription description, DataType dataType, long... shape) {
    assertThat(description.dataType).isEqualTo(dataType);
    // Shape.equals is false whenever a dimension is unknown, so compare the dimensions themselves.
    assertThat(description.shape.asArray()).containsExactly(shape);
  }

  private static float[][] lenetLogits(Path versionDir) {
    try (SavedModelBundle bundle = SavedModelBundle.load(versionDir.toString(), "serve");
        TFloat32 images = randomImages(4, 9L);
        Result result = call(bundle, Map.of("images", images))) {
      return toMatrix((TFloat32) result.get("logits").orElseThrow());
    }
  }

  private static float[] affine(SavedModelBundle bundle, float[] x) {
    Shape shape = Shape.of(x.length / 4, 4);
    try (TFloat32 input = TFloat32.tensorOf(shape, DataBuffers.of(x, true, false));
        Result result = call(bundle, Map.of("x", input))) {
      TFloat32 y = (TFloat32) result.get("y").orElseThrow();
      assertThat(y.shape()).isEqualTo(shape);
      float[] values = new float[x.length];
      y.copyTo(DataBuffers.of(values, false, false));
      return values;
    }
  }

  private static TFloat32 randomImages(int batch, long seed) {
    return randomFloats(Shape.of(batch, 32, 32, 3), seed);
  }

  private static TFloat32 randomFloats(Shape shape, long seed) {
    Random random = new Random(seed);
    float[] values = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextFloat();
    }
    return TFloat32.tensorOf(shape, DataBuffers.of(values, true, false));
  }

  private static float[][] toMatrix(TFloat32 tensor) {
    int rows = Math.toIntExact(tensor.shape().get(0));
    int cols = Math.toIntExact(tensor.shape().get(1));
    float[][] matrix = new float[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        matrix[r][c] = tensor.getFloat(r, c);
      }
    }
    return matrix;
  }

  private static float[] softmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float logit : logits) {
      max = Math.max(max, logit);
    }
    double total = 0;
    double[] exps = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      exps[i] = Math.exp(logits[i] - max);
      total += exps[i];
    }
    float[] result = new float[logits.length];
    for (int i = 0; i < logits.length; i++) {
      result[i] = (float) (exps[i] / total);
    }
    return result;
  }
}
