package dev.maas.sdk;

import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.ServerLiveRequest;
import dev.maas.proto.inference.ServerLiveResponse;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An inference server on a real port whose ModelInfer fails with the scripted errors, in order,
 * then echoes the request's model name; it counts attempts and keeps the last authorization.
 */
final class ScriptedInferenceServer implements AutoCloseable {

  final Queue<StatusRuntimeException> failures = new ConcurrentLinkedQueue<>();
  final AtomicInteger attempts = new AtomicInteger();
  volatile String lastAuthorization;
  private final Server server;

  ScriptedInferenceServer() throws IOException {
    this(InsecureServerCredentials.create());
  }

  ScriptedInferenceServer(ServerCredentials credentials) throws IOException {
    ServerInterceptor recordAuthorization =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            lastAuthorization =
                headers.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER));
            return next.startCall(call, headers);
          }
        };
    server =
        Grpc.newServerBuilderForPort(0, credentials)
            .addService(ServerInterceptors.intercept(new Service(), recordAuthorization))
            .build()
            .start();
  }

  String target() {
    return "localhost:" + server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Service extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    @Override
    public void modelInfer(
        ModelInferRequest request, StreamObserver<ModelInferResponse> responses) {
      attempts.incrementAndGet();
      StatusRuntimeException failure = failures.poll();
      if (failure != null) {
        responses.onError(failure);
        return;
      }
      responses.onNext(
          ModelInferResponse.newBuilder()
              .setModelName(request.getModelName())
              .setModelVersion("1")
              .build());
      responses.onCompleted();
    }

    @Override
    public void serverLive(
        ServerLiveRequest request, StreamObserver<ServerLiveResponse> responses) {
      responses.onNext(ServerLiveResponse.newBuilder().setLive(true).build());
      responses.onCompleted();
    }
  }
}
