package dev.maas.controlplane.upload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Builds upload archives in tests: SavedModels made with protobuf builders (no TensorFlow natives)
 * and tar archives, including unsafe ones, made with commons-compress.
 */
public final class TestArchives {

  /** A text that appears in {@link #savedModel()}'s archive, to look for in stored bytes. */
  public static final String MARKER = "MAAS-PLAINTEXT-MARKER-7f3c9a";

  private TestArchives() {}

  /**
   * A SavedModel archive: saved_model.pb with a {@code serve} graph whose {@code serving_default}
   * maps {@code x} (FP32 [-1, 784]) to {@code probabilities} (FP32 [-1, 10]), plus variables/ and
   * an asset holding {@link #MARKER}.
   */
  public static byte[] savedModel() {
    return savedModelTar(servingModel(), "");
  }

  /** A SavedModel archive like {@link #savedModel()}, made distinct by {@code salt}. */
  public static byte[] savedModel(String salt) {
    return savedModelTar(servingModel(), salt);
  }

  /** The SavedModel archive of {@code savedModel}, with variables/ and an asset. */
  public static byte[] savedModelTar(SavedModel savedModel, String salt) {
    return tar()
        .directory("variables/")
        .file("variables/variables.index", ("index" + salt).getBytes(StandardCharsets.UTF_8))
        .file("variables/variables.data-00000-of-00001", new byte[4096])
        .file("saved_model.pb", savedModel.toByteArray())
        .file("assets/marker.txt", (MARKER + salt).getBytes(StandardCharsets.UTF_8))
        .build();
  }

  /** The SavedModel of {@link #savedModel()}. */
  public static SavedModel servingModel() {
    return savedModel(
        List.of("serve"),
        Map.of(
            "serving_default",
            signature(
                Map.of("x", tensor(DataType.DT_FLOAT, -1, 784)),
                Map.of("probabilities", tensor(DataType.DT_FLOAT, -1, 10)))));
  }

  /** A SavedModel with one MetaGraphDef of these tags and signatures. */
  public static SavedModel savedModel(List<String> tags, Map<String, SignatureDef> signatures) {
    return SavedModel.newBuilder()
        .setSavedModelSchemaVersion(1)
        .addMetaGraphs(
            MetaGraphDef.newBuilder()
                .setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder().addAllTags(tags))
                .putAllSignatureDef(signatures))
        .build();
  }

  /** A predict signature. */
  public static SignatureDef signature(
      Map<String, TensorInfo> inputs, Map<String, TensorInfo> outputs) {
    return SignatureDef.newBuilder()
        .setMethodName("tensorflow/serving/predict")
        .putAllInputs(inputs)
        .putAllOutputs(outputs)
        .build();
  }

  /** A dense tensor of this dtype and shape (-1: variable). */
  public static TensorInfo tensor(DataType dtype, long... shape) {
    TensorShapeProto.Builder dims = TensorShapeProto.newBuilder();
    for (long size : shape) {
      dims.addDim(TensorShapeProto.Dim.newBuilder().setSize(size));
    }
    return TensorInfo.newBuilder()
        .setName("tensor_" + dtype.getNumber() + ":0")
        .setDtype(dtype)
        .setTensorShape(dims)
        .build();
  }

  /** Hex SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new tar archive. */
  public static Tar tar() {
    return new Tar();
  }

  /** Builds a tar archive entry by entry, unsafe entries included. */
  public static final class Tar {

    private final List<TarArchiveEntry> entries = new ArrayList<>();
    private final List<byte[]> contents = new ArrayList<>();

    /** Adds a regular file; the name is kept as given, even absolute. */
    public Tar file(String name, byte[] content) {
      TarArchiveEntry entry = new TarArchiveEntry(name, true);
      entry.setSize(content.length);
      return add(entry, content);
    }

    /** Adds a directory. */
    public Tar directory(String name) {
      return add(new TarArchiveEntry(name, true), new byte[0]);
    }

    /** Adds a symbolic link. */
    public Tar symlink(String name, String target) {
      TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
      entry.setLinkName(target);
      return add(entry, new byte[0]);
    }

    /** Adds a hard link. */
    public Tar hardlink(String name, String target) {
      TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
      entry.setLinkName(target);
      return add(entry, new byte[0]);
    }

    /** Adds an entry of another type, such as {@link TarConstants#LF_FIFO}. */
    public Tar special(String name, byte type) {
      return add(new TarArchiveEntry(name, type, true), new byte[0]);
    }

    private Tar add(TarArchiveEntry entry, byte[] content) {
      entries.add(entry);
      contents.add(content);
      return this;
    }

    /** The archive's bytes. */
    public byte[] build() {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (int i = 0; i < entries.size(); i++) {
          tar.putArchiveEntry(entries.get(i));
          tar.write(contents.get(i));
          tar.closeArchiveEntry();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }
  }
}
