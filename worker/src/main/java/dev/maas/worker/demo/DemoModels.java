package dev.maas.worker.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * Exports the worker's demo models as TensorFlow SavedModels built in-process with {@link Ops},
 * with weights from fixed seeds so that every export answers the same.
 *
 * <p>Every model has one signature, {@value #SERVING_SIGNATURE}, under the tag {@value
 * #SERVING_TAG}; the batch dimension of every input and output is -1. Each export method writes a
 * version directory that appears atomically and must not exist beforehand; I/O failures surface as
 * {@link UncheckedIOException}.
 */
public final class DemoModels {

  /** LeNet-5 over 32×32 RGB images: {@code images} → {@code logits}, {@code probabilities}. */
  public static final String LENET = "lenet";

  /** A 100-feature MLP: {@code features} → {@code probability}. */
  public static final String BINARY_CLASSIFIER = "binary_classifier";

  /** {@code y = scale * x + offset} over 4 features. */
  public static final String AFFINE = "affine";

  /** Integer and string ops: {@code ids}, {@code text} → sums, byte lengths, upper case. */
  public static final String STRINGS = "strings";

  /** Every served element type in and out, written by {@link DtypesModel}. */
  public static final String DTYPES = "dtypes";

  /** The signature key of every demo model. */
  public static final String SERVING_SIGNATURE = Signature.DEFAULT_KEY;

  /** The SavedModel tag of every demo model. */
  public static final String SERVING_TAG = "serve";

  private static final long LENET_SEED = 5L;
  private static final long BINARY_CLASSIFIER_SEED = 100L;
  private static final String CONFIG_FILE = "config.json";

  private DemoModels() {}

  /**
   * Writes {@code repositoryDir/<model>/1/} for every demo model (plus {@code config.json} for the
   * batched ones), skipping any model whose directory already exists.
   *
   * <p>Each model directory is assembled aside and renamed into place, so it appears complete.
   */
  public static void exportRepository(Path repositoryDir) {
    List<RepositoryEntry> entries =
        List.of(
            new RepositoryEntry(LENET, batchingConfig(32), DemoModels::exportLenet),
            new RepositoryEntry(
                BINARY_CLASSIFIER, batchingConfig(64), DemoModels::exportBinaryClassifier),
            new RepositoryEntry(AFFINE, Optional.empty(), dir -> exportAffine(dir, 2f, 1f)),
            new RepositoryEntry(STRINGS, Optional.empty(), DemoModels::exportStrings),
            // dtypes: one input and output per element type, exported by DtypesModel.
            new RepositoryEntry(DTYPES, Optional.empty(), DtypesModel::export));
    for (RepositoryEntry entry : entries) {
      Path modelDir = repositoryDir.resolve(entry.name());
      if (!Files.exists(modelDir)) {
        SavedModelWriter.publishAtomically(modelDir, staging -> entry.writeInto(staging));
      }
    }
  }

  /** Exports LeNet-5: {@code images} FP32 [-1,32,32,3] → {@code logits}, {@code probabilities}. */
  public static void exportLenet(Path versionDir) {
    SavedModelWriter.export(
        versionDir,
        tf -> {
          SeededLayers layers = new SeededLayers(tf, LENET_SEED);
          Placeholder<TFloat32> images = floatInput(tf, "images", Shape.of(-1, 32, 32, 3));
          Operand<TFloat32> x = layers.maxPool2x2(layers.conv2dRelu("conv1", images, 5, 3, 6));
          x = layers.maxPool2x2(layers.conv2dRelu("conv2", x, 5, 6, 16));
          x = tf.reshape(x, tf.constant(new long[] {-1, 400}));
          x = tf.nn.relu(layers.dense("fc1", x, 400, 120));
          x = tf.nn.relu(layers.dense("fc2", x, 120, 84));
          Operand<TFloat32> logits = tf.withName("logits").identity(layers.dense("fc3", x, 84, 10));
          Operand<TFloat32> probabilities = tf.withName("probabilities").nn.softmax(logits);
          return Signature.builder()
              .key(SERVING_SIGNATURE)
              .input("images", images)
              .output("logits", logits)
              .output("probabilities", probabilities)
              .build();
        });
  }

  /** Exports an MLP: {@code features} FP32 [-1,100] → {@code probability} FP32 [-1,1]. */
  public static void exportBinaryClassifier(Path versionDir) {
    SavedModelWriter.export(
        versionDir,
        tf -> {
          SeededLayers layers = new SeededLayers(tf, BINARY_CLASSIFIER_SEED);
          Placeholder<TFloat32> features = floatInput(tf, "features", Shape.of(-1, 100));
          Operand<TFloat32> x = tf.nn.relu(layers.dense("hidden1", features, 100, 128));
          x = tf.nn.relu(layers.dense("hidden2", x, 128, 128));
          Operand<TFloat32> probability =
              tf.withName("probability").math.sigmoid(layers.dense("output", x, 128, 1));
          return Signature.builder()
              .key(SERVING_SIGNATURE)
              .input("features", features)
              .output("probability", probability)
              .build();
        });
  }

  /** Exports {@code y = scale * x + offset}: {@code x} FP32 [-1,4] → {@code y} FP32 [-1,4]. */
  public static void exportAffine(Path versionDir, float scale, float offset) {
    SavedModelWriter.export(
        versionDir,
        tf -> {
          Placeholder<TFloat32> x = floatInput(tf, "x", Shape.of(-1, 4));
          Operand<TFloat32> scaleVar = tf.withName("scale").variable(tf.constant(scale));
          Operand<TFloat32> offsetVar = tf.withName("offset").variable(tf.constant(offset));
          Operand<TFloat32> y = tf.withName("y").math.add(tf.math.mul(x, scaleVar), offsetVar);
          return Signature.builder().key(SERVING_SIGNATURE).input("x", x).output("y", y).build();
        });
  }

  /**
   * Exports the string model: {@code ids} INT64 [-1,3] and {@code text} BYTES [-1] → {@code
   * ids_sum} INT64 [-1], {@code text_length} INT32 [-1] (bytes), {@code text_upper} BYTES [-1]
   * (ASCII upper case).
   */
  public static void exportStrings(Path versionDir) {
    SavedModelWriter.export(
        versionDir,
        tf -> {
          Placeholder<TInt64> ids =
              tf.withName("ids").placeholder(TInt64.class, Placeholder.shape(Shape.of(-1, 3)));
          Placeholder<TString> text =
              tf.withName("text").placeholder(TString.class, Placeholder.shape(Shape.of(-1)));
          return Signature.builder()
              .key(SERVING_SIGNATURE)
              .input("ids", ids)
              .input("text", text)
              .output("ids_sum", tf.withName("ids_sum").sum(ids, tf.constant(1)))
              .output("text_length", tf.withName("text_length").strings.stringLength(text))
              .output("text_upper", tf.withName("text_upper").strings.upper(text))
              .build();
        });
  }

  private static Placeholder<TFloat32> floatInput(Ops tf, String name, Shape shape) {
    return tf.withName(name).placeholder(TFloat32.class, Placeholder.shape(shape));
  }

  private static Optional<String> batchingConfig(int maxBatchSize) {
    return Optional.of(
        "{\"max_batch_size\": "
            + maxBatchSize
            + ", \"dynamic_batching\": {\"max_queue_delay_microseconds\": 500}}");
  }

  /** One model of the repository: its directory name, optional config and version-1 exporter. */
  private record RepositoryEntry(
      String name, Optional<String> config, SavedModelWriter.IoConsumer<Path> exporter) {

    void writeInto(Path modelDir) throws IOException {
      exporter.accept(modelDir.resolve("1"));
      if (config.isPresent()) {
        Files.writeString(modelDir.resolve(CONFIG_FILE), config.get(), StandardCharsets.UTF_8);
      }
    }
  }
}
