package dev.maas.bench;

import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.sdk.perf.LevelResult;
import dev.maas.sdk.perf.LoadGenerator;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Recorder;

/**
 * Arms B, C and D: a closed loop of asynchronous ModelInfer calls with {@code concurrency} in
 * flight, each sending the same pre-built request (raw_input_contents), driven by the SDK's {@link
 * LoadGenerator}.
 */
final class GrpcArm implements Window.Runner {

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final LoadGenerator generator;
  private final int concurrency;

  /**
   * Calls over {@code channel} with {@code headers} on every call.
   *
   * @param expectedOutputs outputs a correct answer carries (raw_output_contents entries)
   */
  GrpcArm(
      Channel channel,
      Metadata headers,
      ModelInferRequest request,
      int expectedOutputs,
      int concurrency) {
    Channel withHeaders =
        ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    this.generator =
        new LoadGenerator(() -> call(withHeaders, request, expectedOutputs), CALL_TIMEOUT);
    this.concurrency = concurrency;
  }

  @Override
  public Window run(Duration length) throws InterruptedException {
    Recorder latency = new Recorder(3);
    LevelResult result = generator.run(concurrency, Duration.ZERO, length, latency::recordValue);
    return new Window(
        length.toNanos() / 1e9,
        result.successes(),
        result.errors(),
        result.firstError(),
        latency.getIntervalHistogram());
  }

  private static CompletableFuture<ModelInferResponse> call(
      Channel channel, ModelInferRequest request, int expectedOutputs) {
    CompletableFuture<ModelInferResponse> answer = new CompletableFuture<>();
    ClientCalls.asyncUnaryCall(
        channel.newCall(
            GRPCInferenceServiceGrpc.getModelInferMethod(),
            CallOptions.DEFAULT.withDeadlineAfter(CALL_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)),
        request,
        new StreamObserver<>() {
          @Override
          public void onNext(ModelInferResponse response) {
            if (response.getRawOutputContentsCount() != expectedOutputs) {
              answer.completeExceptionally(
                  Status.INTERNAL
                      .withDescription(
                          "expected "
                              + expectedOutputs
                              + " raw outputs, got "
                              + response.getRawOutputContentsCount())
                      .asRuntimeException());
            } else {
              answer.complete(response);
            }
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            answer.complete(null);
          }
        });
    return answer;
  }
}
