package dev.maas.sdk;

import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.ModelMetadataRequest;
import dev.maas.proto.inference.ModelMetadataResponse;
import dev.maas.proto.inference.ModelReadyRequest;
import dev.maas.proto.inference.ServerLiveRequest;
import dev.maas.proto.inference.ServerReadyRequest;
import dev.maas.sdk.internal.CallFuture;
import dev.maas.sdk.internal.ChannelFactory;
import dev.maas.sdk.internal.ConnectionSettings;
import dev.maas.sdk.internal.InferCodec;
import dev.maas.sdk.internal.StatusErrors;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Calls models through a maas gateway (or any Open Inference Protocol server) with an API key.
 *
 * <pre>{@code
 * try (MaasClient client = MaasClient.builder().target("localhost:8001").apiKey(key).build()) {
 *   InferResult result =
 *       client.infer("affine", Tensor.ofFloats("x", new float[] {1, 2, 3, 4}, 1, 4));
 *   float[] y = result.output("y").asFloats();
 * }
 * }</pre>
 *
 * <p>Thread-safe: share one client (it holds one HTTP/2 connection) and close it when done. Calls
 * failing with UNAVAILABLE are retried by the {@link RetryPolicy}; every failure surfaces as a
 * {@link MaasException} (subclass by gRPC code).
 */
public final class MaasClient implements AutoCloseable {

  /** The gRPC service every call goes to. */
  static final String SERVICE = GRPCInferenceServiceGrpc.SERVICE_NAME;

  private final ManagedChannel channel;
  private final Duration timeout;

  private MaasClient(ConnectionSettings settings) {
    this.channel = ChannelFactory.open(settings, List.of(SERVICE), List.of());
    this.timeout = settings.timeout();
  }

  /** A builder; the target defaults to {@code localhost:8001}, the deadline to 30 s. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs one inference and waits for the answer.
   *
   * @throws MaasException with the call's code: {@link InvalidArgumentException} for a bad tensor,
   *     {@link NotFoundException} for an unknown model or version, {@link
   *     ResourceExhaustedException} for a quota, {@link DeadlineExceededException}, ...
   * @throws IllegalArgumentException when the request cannot be encoded (typed FP16)
   */
  public InferResult infer(InferRequest request) {
    ModelInferRequest message = InferCodec.encode(request);
    return call(() -> InferCodec.decode(stub(request.timeout()).modelInfer(message)));
  }

  /** Runs {@code model} on these inputs with the defaults; see {@link #infer(InferRequest)}. */
  public InferResult infer(String model, Tensor... inputs) {
    return infer(InferRequest.of(model, inputs));
  }

  /**
   * Runs one inference without blocking. The future completes on a gRPC thread (do not block in its
   * dependent stages) with the result, or exceptionally with a {@link MaasException}. Cancelling
   * the future cancels the call.
   *
   * @throws IllegalArgumentException at once when the request cannot be encoded
   */
  public CompletableFuture<InferResult> inferAsync(InferRequest request) {
    ModelInferRequest message = InferCodec.encode(request);
    CallFuture<ModelInferRequest, ModelInferResponse, InferResult> future =
        new CallFuture<>(InferCodec::decode);
    GRPCInferenceServiceGrpc.newStub(channel)
        .withDeadlineAfter(deadlineOf(request.timeout()).toNanos(), TimeUnit.NANOSECONDS)
        .modelInfer(message, future);
    return future;
  }

  /**
   * What the model takes and returns, for the version a call would get.
   *
   * @throws NotFoundException for a model the caller's tenant does not have
   */
  public ModelMetadata modelMetadata(String model) {
    return modelMetadata(model, "");
  }

  /**
   * What a version of the model takes and returns; an empty version means the one a call would get.
   *
   * @throws NotFoundException for an unknown model or version
   */
  public ModelMetadata modelMetadata(String model, String version) {
    Objects.requireNonNull(model, "model");
    ModelMetadataResponse response =
        call(
            () ->
                stub(null)
                    .modelMetadata(
                        ModelMetadataRequest.newBuilder()
                            .setName(model)
                            .setVersion(Objects.requireNonNullElse(version, ""))
                            .build()));
    return new ModelMetadata(
        response.getName(),
        response.getVersionsList(),
        response.getPlatform(),
        response.getInputsList().stream()
            .map(t -> new TensorSpec(t.getName(), t.getDatatype(), t.getShapeList()))
            .toList(),
        response.getOutputsList().stream()
            .map(t -> new TensorSpec(t.getName(), t.getDatatype(), t.getShapeList()))
            .toList());
  }

  /** Whether a call to the model would find a serving replica now; false for an unknown model. */
  public boolean isModelReady(String model) {
    return isModelReady(model, "");
  }

  /** Whether that version of the model has a serving replica now. */
  public boolean isModelReady(String model, String version) {
    return call(
        () ->
            stub(null)
                .modelReady(
                    ModelReadyRequest.newBuilder()
                        .setName(model)
                        .setVersion(Objects.requireNonNullElse(version, ""))
                        .build())
                .getReady());
  }

  /** Whether the server is live (needs no key). */
  public boolean isServerLive() {
    return call(() -> stub(null).serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
  }

  /** Whether the server is ready to take calls (needs no key). */
  public boolean isServerReady() {
    return call(() -> stub(null).serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
  }

  /** Closes the connection, letting calls in flight finish for up to 5 seconds. */
  @Override
  public void close() {
    Closing.close(channel);
  }

  private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub(Duration callTimeout) {
    return GRPCInferenceServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(deadlineOf(callTimeout).toNanos(), TimeUnit.NANOSECONDS);
  }

  private Duration deadlineOf(Duration callTimeout) {
    return callTimeout == null ? timeout : callTimeout;
  }

  private static <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (StatusRuntimeException e) {
      throw StatusErrors.toException(e);
    }
  }

  /** Builds a {@link MaasClient}. Not thread-safe. */
  public static final class Builder extends ClientBuilder<Builder> {

    private Builder() {
      super("localhost:8001", Duration.ofSeconds(30));
    }

    /** The API key ({@code mk_<id>_<secret>}) every call presents; it needs the infer scope. */
    public Builder apiKey(String key) {
      return credential(key);
    }

    @Override
    Builder self() {
      return this;
    }

    /** The client; it connects on its first call. */
    public MaasClient build() {
      return new MaasClient(settings());
    }
  }
}
