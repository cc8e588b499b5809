package dev.maas.sdk.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.ModelInferResponse.InferOutputTensor;
import dev.maas.sdk.DataType;
import dev.maas.sdk.InferRequest;
import dev.maas.sdk.InferResult;
import dev.maas.sdk.Tensor;
import dev.maas.sdk.TensorEncoding;
import java.util.ArrayList;
import java.util.List;

/** Converts inference requests and results to and from the protocol's messages. */
public final class InferCodec {

  private InferCodec() {}

  /**
   * The protocol request: inputs raw or typed as the request says.
   *
   * @throws IllegalArgumentException for typed FP16 or BF16 inputs, which have no typed field
   */
  public static ModelInferRequest encode(InferRequest request) {
    ModelInferRequest.Builder message =
        ModelInferRequest.newBuilder()
            .setModelName(request.model())
            .setModelVersion(request.version())
            .setId(request.id());
    for (Tensor input : request.inputs()) {
      ModelInferRequest.InferInputTensor.Builder tensor =
          ModelInferRequest.InferInputTensor.newBuilder()
              .setName(input.name())
              .setDatatype(input.dataType().name());
      for (long dimension : input.shape()) {
        tensor.addShape(dimension);
      }
      if (request.encoding() == TensorEncoding.TYPED) {
        tensor.setContents(TypedContents.of(input));
      } else {
        message.addRawInputContents(UnsafeByteOperations.unsafeWrap(input.rawBytes()));
      }
      message.addInputs(tensor);
    }
    for (String output : request.outputs()) {
      message.addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName(output));
    }
    return message.build();
  }

  /** The result: outputs from {@code raw_output_contents} when sent, else typed contents. */
  public static InferResult decode(ModelInferResponse response) {
    boolean raw = response.getRawOutputContentsCount() > 0;
    if (raw && response.getRawOutputContentsCount() != response.getOutputsCount()) {
      throw new IllegalStateException(
          "the server sent "
              + response.getRawOutputContentsCount()
              + " raw output contents for "
              + response.getOutputsCount()
              + " outputs");
    }
    List<Tensor> outputs = new ArrayList<>(response.getOutputsCount());
    for (int i = 0; i < response.getOutputsCount(); i++) {
      InferOutputTensor output = response.getOutputs(i);
      DataType type = DataType.of(output.getDatatype());
      ByteString bytes =
          raw ? response.getRawOutputContents(i) : TypedContents.toRaw(type, output.getContents());
      long[] shape = output.getShapeList().stream().mapToLong(Long::longValue).toArray();
      outputs.add(
          Tensor.ofRaw(
              output.getName(),
              type,
              bytes.toByteArray(),
              shape.length == 0 ? new long[] {1} : shape));
    }
    return new InferResult(
        response.getModelName(), response.getModelVersion(), response.getId(), outputs);
  }
}
