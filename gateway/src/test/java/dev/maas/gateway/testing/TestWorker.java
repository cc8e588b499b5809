package dev.maas.gateway.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.maas.gateway.forwarding.RawMethods;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.InferParameter;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.ModelMetadataRequest;
import dev.maas.proto.inference.ModelMetadataResponse;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in worker in the test JVM: serves ModelInfer and ModelMetadata over raw bytes (so a test
 * can check the bytes arrive untouched), accepts only the cluster token and needs {@code
 * maas-model-id}. It answers deterministically — the caller's model name, and parameters naming the
 * worker, the model id and whether a deadline came — or fails with a status on demand, or holds
 * calls until released.
 */
public final class TestWorker implements AutoCloseable {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> MODEL_ID =
      Metadata.Key.of("maas-model-id", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> MODEL_VERSION =
      Metadata.Key.of("maas-model-version", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> MODEL_ID_KEY = Context.key("model-id");
  private static final Context.Key<String> MODEL_VERSION_KEY = Context.key("model-version");

  private final String name;
  private final Server server;
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger cancelled = new AtomicInteger();
  private final List<Runnable> held = new ArrayList<>();
  private volatile Status failure;
  private volatile boolean holding;
  private volatile byte[] lastRequest;
  private volatile long lastDeadlineMillis = -1;

  private TestWorker(String name) throws IOException {
    this.name = name;
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(GRPCInferenceServiceGrpc.SERVICE_NAME)
            .addMethod(RawMethods.MODEL_INFER, ServerCalls.asyncUnaryCall(this::modelInfer))
            .addMethod(RawMethods.MODEL_METADATA, ServerCalls.asyncUnaryCall(this::modelMetadata))
            .build();
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(ServerInterceptors.intercept(service, new ClusterTokenCheck()))
            .build()
            .start();
  }

  /** Starts a worker named {@code name} on an ephemeral loopback port. */
  public static TestWorker start(String name) throws IOException {
    return new TestWorker(name);
  }

  /** host:port, as a snapshot lists it. */
  public String address() {
    return "127.0.0.1:" + server.getPort();
  }

  /** The worker's name, as its answers carry it. */
  public String name() {
    return name;
  }

  /** ModelInfer calls that reached the model (token and model id accepted). */
  public int calls() {
    return calls.get();
  }

  /** Calls whose caller cancelled while they were held. */
  public int cancelledCalls() {
    return cancelled.get();
  }

  /** Calls held now. */
  public synchronized int heldCalls() {
    return held.size();
  }

  /** The bytes of the last ModelInfer request, exactly as they arrived. */
  public byte[] lastRequest() {
    return lastRequest;
  }

  /** The deadline the last call carried, in ms from its arrival; -1 when it had none. */
  public long lastDeadlineMillis() {
    return lastDeadlineMillis;
  }

  /** Fails every call with {@code status} from now on; null answers again. */
  public void failWith(Status status) {
    failure = status;
  }

  /** Holds every ModelInfer call from now on, until {@link #releaseAll()}. */
  public void hold() {
    holding = true;
  }

  /** Answers the held calls and stops holding. */
  public void releaseAll() {
    List<Runnable> answers;
    synchronized (this) {
      holding = false;
      answers = new ArrayList<>(held);
      held.clear();
    }
    answers.forEach(Runnable::run);
  }

  /** Stops at once, as a crashed worker would. */
  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private void modelInfer(byte[] bytes, StreamObserver<byte[]> observer) {
    ServerCallStreamObserver<byte[]> responses = (ServerCallStreamObserver<byte[]>) observer;
    Deadline deadline = Context.current().getDeadline();
    lastDeadlineMillis = deadline == null ? -1 : deadline.timeRemaining(TimeUnit.MILLISECONDS);
    lastRequest = bytes;
    if (failure != null) {
      responses.onError(failure.asRuntimeException());
      return;
    }
    calls.incrementAndGet();
    ModelInferRequest request;
    try {
      request = ModelInferRequest.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      responses.onError(
          Status.INVALID_ARGUMENT.withDescription("bad request").asRuntimeException());
      return;
    }
    byte[] answer =
        ModelInferResponse.newBuilder()
            .setModelName(request.getModelName())
            .setModelVersion(request.getModelVersion())
            .setId(request.getId())
            .putParameters("worker", text(name))
            .putParameters("model_id", text(MODEL_ID_KEY.get()))
            .putParameters("routed_version", text(String.valueOf(MODEL_VERSION_KEY.get())))
            .putParameters(
                "deadline", InferParameter.newBuilder().setBoolParam(deadline != null).build())
            .build()
            .toByteArray();
    Runnable respond =
        () -> {
          if (!responses.isCancelled()) {
            responses.onNext(answer);
            responses.onCompleted();
          }
        };
    synchronized (this) {
      if (holding) {
        responses.setOnCancelHandler(cancelled::incrementAndGet);
        held.add(respond);
        return;
      }
    }
    respond.run();
  }

  private void modelMetadata(byte[] bytes, StreamObserver<byte[]> responses) {
    if (failure != null) {
      responses.onError(failure.asRuntimeException());
      return;
    }
    try {
      ModelMetadataRequest request = ModelMetadataRequest.parseFrom(bytes);
      responses.onNext(
          ModelMetadataResponse.newBuilder()
              .setName(request.getName())
              .setPlatform("test:" + MODEL_ID_KEY.get())
              .build()
              .toByteArray());
      responses.onCompleted();
    } catch (InvalidProtocolBufferException e) {
      responses.onError(
          Status.INVALID_ARGUMENT.withDescription("bad request").asRuntimeException());
    }
  }

  private static InferParameter text(String value) {
    return InferParameter.newBuilder().setStringParam(value).build();
  }

  /** Admits only the cluster token with a model id, as a worker in cluster mode does. */
  private static final class ClusterTokenCheck implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      if (!("Bearer " + TestCluster.TOKEN).equals(headers.get(AUTHORIZATION))) {
        call.close(Status.UNAUTHENTICATED.withDescription("cluster token needed"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      String modelId = headers.get(MODEL_ID);
      if (modelId == null) {
        call.close(Status.INVALID_ARGUMENT.withDescription("maas-model-id needed"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return Contexts.interceptCall(
          Context.current()
              .withValues(MODEL_ID_KEY, modelId, MODEL_VERSION_KEY, headers.get(MODEL_VERSION)),
          call,
          headers,
          next);
    }
  }
}
