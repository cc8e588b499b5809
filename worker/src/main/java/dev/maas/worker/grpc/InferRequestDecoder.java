package dev.maas.worker.grpc;

import com.google.protobuf.ByteString;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferRequest.InferInputTensor;
import dev.maas.worker.batching.BatchingConfig;
import dev.maas.worker.tensor.DataType;
import dev.maas.worker.tensor.HostTensor;
import dev.maas.worker.tensor.ModelSignature;
import dev.maas.worker.tensor.Shapes;
import dev.maas.worker.tensor.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks an inference request against a signature before TensorFlow sees it, and turns it into
 * raw-encoded tensors. Every mismatch is an {@link InvalidInputException} naming the input, what
 * the model expects and what the request sent.
 */
final class InferRequestDecoder {

  private InferRequestDecoder() {}

  /**
   * Checks a request against a signature.
   *
   * @param allowNonFinite whether FP32 and FP64 inputs may hold NaN and ±Inf (the model's {@code
   *     allow_non_finite_inputs})
   * @throws InvalidInputException naming the input and what the model expects
   */
  static DecodedRequest decode(
      ModelInferRequest request,
      ModelSignature signature,
      BatchingConfig batching,
      boolean allowNonFinite) {
    boolean raw = request.getRawInputContentsCount() > 0;
    if (raw && request.getRawInputContentsCount() != request.getInputsCount()) {
      throw new InvalidInputException(
          "raw_input_contents has "
              + request.getRawInputContentsCount()
              + " entries but the request has "
              + request.getInputsCount()
              + " inputs; send one entry per input, in the order of inputs");
    }
    Map<String, Integer> byName = new HashMap<>();
    for (int i = 0; i < request.getInputsCount(); i++) {
      String name = request.getInputs(i).getName();
      if (signature.input(name).isEmpty()) {
        throw new InvalidInputException(
            "unknown input '" + name + "'; the model's inputs are " + describe(signature.inputs()));
      }
      if (byName.put(name, i) != null) {
        throw new InvalidInputException("input '" + name + "' is given more than once");
      }
      if (raw && request.getInputs(i).hasContents()) {
        throw new InvalidInputException(
            "input '"
                + name
                + "' has typed contents while the request also sends"
                + " raw_input_contents; use one encoding for every input");
      }
    }
    List<HostTensor> inputs = new ArrayList<>(signature.inputs().size());
    long batch = -1;
    for (TensorSpec spec : signature.inputs()) {
      Integer index = byName.get(spec.name());
      if (index == null) {
        throw new InvalidInputException(
            "missing input '"
                + spec.name()
                + "'; the model's inputs are "
                + describe(signature.inputs()));
      }
      HostTensor tensor = decodeInput(request, index, spec, raw, allowNonFinite);
      if (batching.batching()) {
        batch = checkBatch(tensor, batch, batching);
      }
      inputs.add(tensor);
    }
    int items = batching.batching() ? (int) batch : 1;
    return new DecodedRequest(inputs, items, requestedOutputs(request, signature), raw);
  }

  private static HostTensor decodeInput(
      ModelInferRequest request, int index, TensorSpec spec, boolean raw, boolean allowNonFinite) {
    InferInputTensor input = request.getInputs(index);
    String name = spec.name();
    DataType type =
        DataType.fromProtocolName(input.getDatatype())
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "input '"
                            + name
                            + "' has datatype '"
                            + input.getDatatype()
                            + "', expected "
                            + spec.dataType()));
    if (type != spec.dataType()) {
      throw new InvalidInputException(
          "input '" + name + "' has datatype " + type + ", expected " + spec.dataType());
    }
    long[] shape = input.getShapeList().stream().mapToLong(Long::longValue).toArray();
    checkShape(name, shape, spec);
    int elements = elementCount(name, shape);
    boolean finiteOnly = !allowNonFinite && FiniteValues.applies(type);
    ByteString data;
    if (raw) {
      data = checkRaw(name, type, request.getRawInputContents(index), elements);
      if (finiteOnly) {
        FiniteValues.requireFinite(name, type, shape, data);
      }
    } else {
      data = TypedContents.toRaw(name, type, input.getContents(), shape, elements, finiteOnly);
    }
    return new HostTensor(name, type, shape, data);
  }

  private static void checkShape(String name, long[] shape, TensorSpec spec) {
    boolean fits = shape.length == spec.rank();
    for (int i = 0; fits && i < shape.length; i++) {
      fits = shape[i] >= 0 && (spec.dim(i) < 0 || spec.dim(i) == shape[i]);
    }
    if (!fits) {
      throw new InvalidInputException(
          "input '"
              + name
              + "' has shape "
              + Shapes.toString(shape)
              + ", expected "
              + Shapes.toString(spec.shape())
              + " (-1: any size)");
    }
  }

  private static int elementCount(String name, long[] shape) {
    try {
      return Math.toIntExact(Shapes.elementCount(shape));
    } catch (ArithmeticException e) {
      throw new InvalidInputException(
          "input '" + name + "' has shape " + Shapes.toString(shape) + ", too many elements");
    }
  }

  private static long checkBatch(HostTensor tensor, long batch, BatchingConfig batching) {
    long size = tensor.dim(0);
    if (size == 0 || size > batching.maxBatchSize()) {
      throw new InvalidInputException(
          "input '"
              + tensor.name()
              + "' has batch size "
              + size
              + ", expected 1 to "
              + batching.maxBatchSize()
              + " rows along dimension 0 (the model's max_batch_size "
              + batching.maxBatchSize()
              + ")");
    }
    if (batch >= 0 && size != batch) {
      throw new InvalidInputException(
          "inputs disagree on the batch size (dimension 0): input '"
              + tensor.name()
              + "' has "
              + size
              + ", an earlier input "
              + batch);
    }
    return size;
  }

  private static ByteString checkRaw(String name, DataType type, ByteString data, int elements) {
    if (type.isFixedSize()) {
      long expected = (long) elements * type.byteSize();
      if (data.size() != expected) {
        throw new InvalidInputException(
            "input '"
                + name
                + "' has "
                + data.size()
                + " raw bytes, expected "
                + expected
                + " ("
                + elements
                + " "
                + type
                + " elements of "
                + type.byteSize()
                + " bytes)");
      }
      if (type == DataType.BOOL) {
        checkBooleans(name, data);
      }
      return data;
    }
    ByteBuffer in = data.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    int found = 0;
    while (in.remaining() >= 4) {
      int length = in.getInt();
      if (length < 0 || length > in.remaining()) {
        throw new InvalidInputException(
            "input '"
                + name
                + "' has a BYTES element "
                + found
                + " whose length prefix "
                + Integer.toUnsignedString(length)
                + " runs past the end of its raw contents");
      }
      in.position(in.position() + length);
      found++;
    }
    if (in.hasRemaining() || found != elements) {
      throw new InvalidInputException(
          "input '"
              + name
              + "' has raw BYTES contents holding "
              + found
              + " elements"
              + (in.hasRemaining() ? " and " + in.remaining() + " stray bytes" : "")
              + ", expected "
              + elements
              + " (each a 4-byte little-endian length, then bytes)");
    }
    return data;
  }

  /** Raw BOOL elements are one byte each, 0 or 1, as TensorFlow's bool. */
  private static void checkBooleans(String name, ByteString data) {
    for (int i = 0; i < data.size(); i++) {
      byte value = data.byteAt(i);
      if (value != 0 && value != 1) {
        throw new InvalidInputException(
            "input '"
                + name
                + "' has BOOL element "
                + i
                + " with byte value "
                + value
                + "; raw BOOL elements are one byte, 0 or 1");
      }
    }
  }

  private static List<Integer> requestedOutputs(
      ModelInferRequest request, ModelSignature signature) {
    List<TensorSpec> outputs = signature.outputs();
    List<Integer> chosen = new ArrayList<>();
    if (request.getOutputsCount() == 0) {
      for (int i = 0; i < outputs.size(); i++) {
        chosen.add(i);
      }
      return chosen;
    }
    List<String> names = outputs.stream().map(TensorSpec::name).toList();
    for (ModelInferRequest.InferRequestedOutputTensor output : request.getOutputsList()) {
      int index = names.indexOf(output.getName());
      if (index < 0) {
        throw new InvalidInputException(
            "unknown output '"
                + output.getName()
                + "'; the model's outputs are "
                + describe(outputs));
      }
      if (!chosen.contains(index)) {
        chosen.add(index);
      }
    }
    return chosen;
  }

  private static String describe(List<TensorSpec> specs) {
    return specs.stream()
        .map(s -> s.name() + " (" + s.dataType() + " " + Shapes.toString(s.shape()) + ")")
        .collect(Collectors.joining(", "));
  }
}
