package dev.maas.worker.runtime;

import dev.maas.worker.tensor.DataType;
import dev.maas.worker.tensor.ModelSignature;
import dev.maas.worker.tensor.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * A serving signature resolved against its graph: the protocol view of each input and output,
 * sorted by signature key, beside the graph tensor to feed or fetch for it.
 *
 * <p>Read from the {@code SignatureDef} protos rather than TF Java's {@code Signature}, which
 * reports a tensor of unknown rank as a scalar.
 *
 * @param inputTensors the graph tensor of each of {@code signature.inputs()}, same order
 * @param outputTensors the graph tensor of each of {@code signature.outputs()}, same order
 */
record SignatureBinding(
    ModelSignature signature, List<Output<?>> inputTensors, List<Output<?>> outputTensors) {

  SignatureBinding {
    inputTensors = List.copyOf(inputTensors);
    outputTensors = List.copyOf(outputTensors);
  }

  /**
   * Resolves the signature with this key.
   *
   * @throws ModelLoadException when the model has no such signature, or one of its tensors is
   *     sparse or composite, has a type the worker does not serve, an unknown rank, or is absent
   *     from the graph
   */
  static SignatureBinding resolve(SavedModelBundle bundle, String key) throws ModelLoadException {
    Map<String, SignatureDef> signatures = bundle.metaGraphDef().getSignatureDefMap();
    SignatureDef found = signatures.get(key);
    if (found == null) {
      throw new ModelLoadException(
          "the model has no signature '"
              + key
              + "'; its signatures are "
              + new TreeMap<>(signatures).keySet());
    }
    List<TensorSpec> inputs = new ArrayList<>();
    List<Output<?>> inputTensors = new ArrayList<>();
    bind(bundle.graph(), "input", found.getInputsMap(), inputs, inputTensors);
    List<TensorSpec> outputs = new ArrayList<>();
    List<Output<?>> outputTensors = new ArrayList<>();
    bind(bundle.graph(), "output", found.getOutputsMap(), outputs, outputTensors);
    return new SignatureBinding(new ModelSignature(inputs, outputs), inputTensors, outputTensors);
  }

  private static void bind(
      Graph graph,
      String role,
      Map<String, TensorInfo> described,
      List<TensorSpec> specs,
      List<Output<?>> tensors)
      throws ModelLoadException {
    for (Map.Entry<String, TensorInfo> entry : new TreeMap<>(described).entrySet()) {
      String what = role + " '" + entry.getKey() + "'";
      TensorInfo info = entry.getValue();
      if (info.getEncodingCase() != TensorInfo.EncodingCase.NAME) {
        throw new ModelLoadException(
            what + " is a " + info.getEncodingCase() + " tensor; the worker serves dense ones");
      }
      DataType type =
          TfDataTypes.fromTf(info.getDtype())
              .orElseThrow(
                  () ->
                      new ModelLoadException(
                          String.format(
                              "%s has TensorFlow type %s, which the worker does not serve",
                              what, info.getDtype())));
      if (!info.hasTensorShape() || info.getTensorShape().getUnknownRank()) {
        throw new ModelLoadException(what + " has an unknown rank");
      }
      Output<?> tensor = outputOrNull(graph, info.getName());
      if (tensor == null) {
        throw new ModelLoadException(
            what + " names tensor " + info.getName() + ", which the graph lacks");
      }
      specs.add(new TensorSpec(entry.getKey(), type, dims(info.getTensorShape())));
      tensors.add(tensor);
    }
  }

  private static Output<?> outputOrNull(Graph graph, String name) {
    try {
      return graph.output(name);
    } catch (IllegalArgumentException malformedName) {
      return null;
    }
  }

  /** The dimension sizes, -1 where unknown. */
  private static long[] dims(TensorShapeProto shape) {
    return shape.getDimList().stream()
        .mapToLong(dim -> dim.getSize() < 0 ? -1 : dim.getSize())
        .toArray();
  }
}
