package dev.maas.gateway.grpc;

import dev.maas.gateway.auth.ApiKeyAuthInterceptor;
import dev.maas.gateway.forwarding.RawMethods;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import java.util.Map;
import java.util.Set;

/**
 * {@code inference.GRPCInferenceService} as tenants see it, built by hand with byte-array messages
 * so requests are forwarded without being parsed. It keeps the generated schema descriptor, so
 * server reflection describes it like the worker's. Every rpc but ServerLive and ServerReady needs
 * an API key.
 *
 * <p>ModelInfer and ModelMetadata are forwarded to workers; ServerLive, ServerReady,
 * ServerMetadata, ModelReady and RepositoryIndex are answered from the snapshot; each message of
 * ModelStreamInfer is forwarded as a ModelInfer; ModelStatistics answers UNIMPLEMENTED.
 */
public final class InferenceFront {

  private InferenceFront() {}

  /** The full names of the rpcs that need no API key. */
  public static final Set<String> OPEN_METHODS =
      Set.of(
          GRPCInferenceServiceGrpc.getServerLiveMethod().getFullMethodName(),
          GRPCInferenceServiceGrpc.getServerReadyMethod().getFullMethodName());

  /** The service definition, behind {@code auth}. */
  public static ServerServiceDefinition definition(
      ForwardedCalls forwarded, LocalAnswers local, ApiKeyAuthInterceptor auth) {
    ServiceDescriptor generated = GRPCInferenceServiceGrpc.getServiceDescriptor();
    ServiceDescriptor.Builder descriptor =
        ServiceDescriptor.newBuilder(generated.getName())
            .setSchemaDescriptor(generated.getSchemaDescriptor());
    Map<String, ServerCallHandler<byte[], byte[]>> handlers =
        Map.of(
            "ServerLive", unary(local::serverLive),
            "ServerReady", unary(local::serverReady),
            "ServerMetadata", unary(local::serverMetadata),
            "ModelReady", unary(local::modelReady),
            "RepositoryIndex", unary(local::repositoryIndex),
            "ModelMetadata", unary(forwarded::modelMetadata),
            "ModelInfer", unary(forwarded::modelInfer),
            "ModelStatistics",
                unary(
                    unimplemented(
                        "ModelStatistics is not served by the gateway; usage is in the admin API"
                            + " and the gateway's metrics")),
            "ModelStreamInfer",
                ServerCalls.asyncBidiStreamingCall(
                    responses -> new StreamInferCall(forwarded, responses)));
    for (MethodDescriptor<?, ?> method : generated.getMethods()) {
      descriptor.addMethod(RawMethods.raw(method));
    }
    ServiceDescriptor raw = descriptor.build();
    ServerServiceDefinition.Builder definition = ServerServiceDefinition.builder(raw);
    for (MethodDescriptor<?, ?> method : raw.getMethods()) {
      @SuppressWarnings("unchecked")
      MethodDescriptor<byte[], byte[]> bytes = (MethodDescriptor<byte[], byte[]>) method;
      ServerCallHandler<byte[], byte[]> handler = handlers.get(method.getBareMethodName());
      if (handler == null) {
        throw new IllegalStateException("no handler for " + method.getFullMethodName());
      }
      definition.addMethod(bytes, handler);
    }
    return ServerInterceptors.intercept(definition.build(), auth);
  }

  private static ServerCallHandler<byte[], byte[]> unary(
      ServerCalls.UnaryMethod<byte[], byte[]> method) {
    return ServerCalls.asyncUnaryCall(method);
  }

  private static ServerCalls.UnaryMethod<byte[], byte[]> unimplemented(String why) {
    return (request, responses) ->
        responses.onError(Status.UNIMPLEMENTED.withDescription(why).asRuntimeException());
  }
}
