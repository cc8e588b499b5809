package dev.maas.worker.testing;

import dev.maas.worker.demo.DemoModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Function;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * SavedModels the demo set lacks, built with TensorFlow Java ops as the demo models are, and broken
 * version directories. Every version directory appears in its place with one rename, so a polling
 * worker never sees it half written.
 */
public final class TestModels {

  private TestModels() {}

  /** {@code y = 2x + 1} over {@code x} FP32 [-1,-1]: rows of any width. */
  public static void exportVariableWidth(Path versionDir) {
    exportTwoXPlusOne(versionDir, Shape.of(-1, -1));
  }

  /** {@code y = 2x + 1} over {@code x} FP32 [4]: a signature without a batch dimension. */
  public static void exportUnbatchable(Path versionDir) {
    exportTwoXPlusOne(versionDir, Shape.of(4));
  }

  /** A version directory whose saved_model.pb is not a SavedModel. */
  public static void writeCorrupt(Path versionDir) {
    publish(
        versionDir,
        staging -> {
          Files.createDirectories(staging);
          Files.write(
              staging.resolve("saved_model.pb"),
              "this is not a protobuf".getBytes(StandardCharsets.UTF_8));
        });
  }

  /** Writes {@code <model>/config.json} with one rename, so a poller never reads half of it. */
  public static void writeConfig(Path repository, String model, String json) {
    Path config = repository.resolve(model).resolve("config.json");
    Path staging = config.resolveSibling(".config.json.staging");
    try {
      Files.writeString(staging, json, StandardCharsets.UTF_8);
      Files.move(
          staging, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Repairs a version directory in place: writes a valid affine export's files over whatever is
   * there, saved_model.pb last.
   */
  public static void repairAsAffine(Path versionDir, float scale, float offset, Path scratch) {
    Path export = scratch.resolve("repair-" + System.nanoTime());
    DemoModels.exportAffine(export, scale, offset);
    try {
      DemoRepository.copyTree(export.resolve("variables"), versionDir.resolve("variables"));
      Files.copy(
          export.resolve("saved_model.pb"),
          versionDir.resolve("saved_model.pb"),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void exportTwoXPlusOne(Path versionDir, Shape shape) {
    export(
        versionDir,
        tf -> {
          Placeholder<TFloat32> x =
              tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(shape));
          Operand<TFloat32> y =
              tf.withName("y").math.add(tf.math.mul(x, tf.constant(2f)), tf.constant(1f));
          return Signature.builder()
              .key(DemoModels.SERVING_SIGNATURE)
              .input("x", x)
              .output("y", y)
              .build();
        });
  }

  private static void export(Path versionDir, Function<Ops, Signature> graph) {
    publish(
        versionDir,
        staging -> {
          try (Graph g = new Graph();
              Session session = new Session(g)) {
            Signature signature = graph.apply(Ops.create(g));
            session.initialize();
            SavedModelBundle.exporter(staging.toString())
                .withTags(DemoModels.SERVING_TAG)
                .withSession(session)
                .withSignature(signature)
                .export();
          }
        });
  }

  private static void publish(Path target, DirectoryWriter writer) {
    Path absolute = target.toAbsolutePath();
    Path staging = absolute.resolveSibling("." + absolute.getFileName() + ".staging");
    try {
      Files.createDirectories(absolute.getParent());
      writer.write(staging);
      Files.move(staging, absolute, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + absolute, e);
    }
  }

  @FunctionalInterface
  private interface DirectoryWriter {
    void write(Path directory) throws IOException;
  }
}
