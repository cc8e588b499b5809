package dev.maas.worker.demo;

import dev.maas.worker.runtime.NarrowIntegerTypes;
import dev.maas.worker.runtime.TInt16;
import dev.maas.worker.runtime.TInt8;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TNumber;
import org.tensorflow.types.family.TType;

/**
 * A SavedModel with one input and one output of every served element type, for end-to-end tests of
 * the data path; every tensor is shaped {@code [-1, 2]}.
 *
 * <p>Signature {@code serving_default}, tag {@code serve}: inputs {@code fp32, fp64, int8, int16,
 * int32, int64, uint8, bool, bytes}; outputs {@code fp32_out = fp32 * 2}, {@code fp64_out = fp64 *
 * 2}, {@code <int>_out = <int> + 1} for each integer type (wrapping on overflow), {@code bool_out =
 * !bool}, {@code bytes_out = bytes + "!"}.
 */
public final class DtypesModel {

  /** The signature key the model is exported under. */
  public static final String SIGNATURE = "serving_default";

  private static final Shape ROWS_OF_TWO = Shape.of(-1, 2);

  private DtypesModel() {}

  /**
   * Writes the model as a SavedModel into {@code versionDir}, which must not exist or be an empty
   * directory; missing parent directories are created.
   *
   * @throws DirectoryNotEmptyException when {@code versionDir} already has entries
   * @throws IOException when the model cannot be written
   */
  public static void export(Path versionDir) throws IOException {
    if (Files.isDirectory(versionDir)) {
      try (Stream<Path> entries = Files.list(versionDir)) {
        if (entries.findAny().isPresent()) {
          throw new DirectoryNotEmptyException(versionDir.toString());
        }
      }
    }
    Files.createDirectories(versionDir);
    NarrowIntegerTypes.register();
    try (Graph graph = new Graph();
        Session session = new Session(graph)) {
      Signature signature = buildGraph(Ops.create(graph));
      SavedModelBundle.exporter(versionDir.toString())
          .withSession(session)
          .withSignature(signature)
          .export();
    }
  }

  private static Signature buildGraph(Ops tf) {
    Signature.Builder signature = Signature.builder().key(SIGNATURE);
    Placeholder<TFloat32> fp32 = input(tf, signature, "fp32", TFloat32.class);
    signature.output("fp32_out", tf.math.mul(fp32, tf.constant(2f)));
    Placeholder<TFloat64> fp64 = input(tf, signature, "fp64", TFloat64.class);
    signature.output("fp64_out", tf.math.mul(fp64, tf.constant(2d)));
    plusOne(tf, signature, "int8", TInt8.class);
    plusOne(tf, signature, "int16", TInt16.class);
    plusOne(tf, signature, "int32", TInt32.class);
    plusOne(tf, signature, "int64", TInt64.class);
    plusOne(tf, signature, "uint8", TUint8.class);
    Placeholder<TBool> bool = input(tf, signature, "bool", TBool.class);
    signature.output("bool_out", tf.math.logicalNot(bool));
    Placeholder<TString> bytes = input(tf, signature, "bytes", TString.class);
    List<Operand<TString>> parts = List.of(bytes, tf.constant("!"));
    signature.output("bytes_out", tf.strings.join(parts));
    return signature.build();
  }

  private static <T extends TNumber> void plusOne(
      Ops tf, Signature.Builder signature, String name, Class<T> type) {
    Placeholder<T> x = input(tf, signature, name, type);
    signature.output(name + "_out", tf.math.add(x, tf.onesLike(x)));
  }

  private static <T extends TType> Placeholder<T> input(
      Ops tf, Signature.Builder signature, String name, Class<T> type) {
    Placeholder<T> x = tf.withName(name).placeholder(type, Placeholder.shape(ROWS_OF_TWO));
    signature.input(name, x);
    return x;
  }
}
