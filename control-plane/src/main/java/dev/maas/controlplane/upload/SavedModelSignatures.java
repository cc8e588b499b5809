package dev.maas.controlplane.upload;

import dev.maas.controlplane.model.ModelSignature;
import dev.maas.controlplane.model.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Reads the serving signatures of a SavedModel from its {@code saved_model.pb}, as TensorFlow loads
 * it for serving: the MetaGraphDef whose tag set is exactly {@code {"serve"}}.
 */
final class SavedModelSignatures {

  static final String SERVE = "serve";

  private SavedModelSignatures() {}

  /**
   * Every signature of the {@code serve} graph, by name, with Open Inference Protocol datatypes.
   * Keys starting with {@code __} (such as {@code __saved_model_init_op}) are not signatures to
   * serve and are left out.
   *
   * @throws RejectedArchiveException when there is no such graph, no signature, or a tensor the
   *     worker cannot serve
   */
  static List<ModelSignature> read(SavedModel savedModel) throws RejectedArchiveException {
    Optional<MetaGraphDef> serve =
        savedModel.getMetaGraphsList().stream()
            .filter(g -> Set.copyOf(g.getMetaInfoDef().getTagsList()).equals(Set.of(SERVE)))
            .findFirst();
    if (serve.isEmpty()) {
      List<List<String>> found =
          savedModel.getMetaGraphsList().stream()
              .map(g -> List.copyOf(g.getMetaInfoDef().getTagsList()))
              .toList();
      throw new RejectedArchiveException(
          "saved_model.pb has no MetaGraphDef tagged exactly 'serve' (tag sets found: "
              + found
              + ")");
    }
    List<ModelSignature> signatures = new ArrayList<>();
    for (Map.Entry<String, SignatureDef> entry :
        new TreeMap<>(serve.get().getSignatureDefMap()).entrySet()) {
      if (entry.getKey().startsWith("__")) {
        continue;
      }
      signatures.add(
          new ModelSignature(
              entry.getKey(),
              tensors(entry.getKey(), "input", entry.getValue().getInputsMap()),
              tensors(entry.getKey(), "output", entry.getValue().getOutputsMap())));
    }
    if (signatures.isEmpty()) {
      throw new RejectedArchiveException(
          "the SavedModel's 'serve' MetaGraphDef has no signatures; export one, such as"
              + " serving_default");
    }
    return signatures;
  }

  private static List<TensorSpec> tensors(
      String signature, String kind, Map<String, TensorInfo> tensors)
      throws RejectedArchiveException {
    List<TensorSpec> specs = new ArrayList<>();
    for (Map.Entry<String, TensorInfo> entry : new TreeMap<>(tensors).entrySet()) {
      String where = kind + " '" + entry.getKey() + "' of signature '" + signature + "'";
      TensorInfo info = entry.getValue();
      if (info.getEncodingCase() != TensorInfo.EncodingCase.NAME) {
        throw new RejectedArchiveException(where + " is a sparse or composite tensor; not served");
      }
      specs.add(
          new TensorSpec(entry.getKey(), datatype(where, info.getDtype()), shape(where, info)));
    }
    return specs;
  }

  /** The Open Inference Protocol name of a TensorFlow dtype the worker serves. */
  static String datatype(String where, DataType dtype) throws RejectedArchiveException {
    return switch (dtype) {
      case DT_FLOAT -> "FP32";
      case DT_DOUBLE -> "FP64";
      case DT_INT8 -> "INT8";
      case DT_INT16 -> "INT16";
      case DT_INT32 -> "INT32";
      case DT_INT64 -> "INT64";
      case DT_UINT8 -> "UINT8";
      case DT_BOOL -> "BOOL";
      case DT_STRING -> "BYTES";
      default ->
          throw new RejectedArchiveException(
              where + " has dtype " + dtype + ", which the worker cannot serve");
    };
  }

  private static List<Long> shape(String where, TensorInfo info) throws RejectedArchiveException {
    TensorShapeProto shape = info.getTensorShape();
    if (shape.getUnknownRank()) {
      throw new RejectedArchiveException(
          where + " has an unknown rank; export it with a fixed rank (dimensions may be -1)");
    }
    List<Long> dims = new ArrayList<>();
    for (TensorShapeProto.Dim dim : shape.getDimList()) {
      dims.add(dim.getSize() < 0 ? -1L : dim.getSize());
    }
    return dims;
  }
}
