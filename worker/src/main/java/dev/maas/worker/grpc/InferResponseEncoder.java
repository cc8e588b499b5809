package dev.maas.worker.grpc;

import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.ModelInferResponse.InferOutputTensor;
import dev.maas.worker.tensor.HostTensor;
import java.util.List;

/** Builds the protocol's response from a request's outputs. */
final class InferResponseEncoder {

  private InferResponseEncoder() {}

  /**
   * The response, with the outputs the request asked for, raw if it sent raw inputs.
   *
   * @param outputs every signature output, in signature order, sliced to this request
   */
  static ModelInferResponse encode(
      ModelInferRequest request, String version, DecodedRequest decoded, List<HostTensor> outputs) {
    ModelInferResponse.Builder response =
        ModelInferResponse.newBuilder()
            .setModelName(request.getModelName())
            .setModelVersion(version)
            .setId(request.getId());
    for (int index : decoded.outputs()) {
      HostTensor output = outputs.get(index);
      InferOutputTensor.Builder tensor =
          response
              .addOutputsBuilder()
              .setName(output.name())
              .setDatatype(output.dataType().protocolName());
      for (long dim : output.shape()) {
        tensor.addShape(dim);
      }
      if (decoded.raw()) {
        response.addRawOutputContents(output.data());
      } else {
        tensor.setContents(TypedContents.fromRaw(output.dataType(), output.data()));
      }
    }
    return response.build();
  }
}
