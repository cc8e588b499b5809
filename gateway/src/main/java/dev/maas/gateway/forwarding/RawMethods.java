package dev.maas.gateway.forwarding;

import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import io.grpc.MethodDescriptor;

/** The rpcs of {@code inference.GRPCInferenceService} with messages as raw bytes. */
public final class RawMethods {

  /** ModelInfer, forwarded to workers. */
  public static final MethodDescriptor<byte[], byte[]> MODEL_INFER =
      raw(GRPCInferenceServiceGrpc.getModelInferMethod());

  /** ModelMetadata, forwarded to workers. */
  public static final MethodDescriptor<byte[], byte[]> MODEL_METADATA =
      raw(GRPCInferenceServiceGrpc.getModelMetadataMethod());

  private RawMethods() {}

  /** The same rpc (name, type, schema) with byte-array messages. */
  public static MethodDescriptor<byte[], byte[]> raw(MethodDescriptor<?, ?> generated) {
    return generated.toBuilder(ByteMarshaller.INSTANCE, ByteMarshaller.INSTANCE).build();
  }
}
