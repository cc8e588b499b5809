package dev.maas.worker.grpc;

import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.worker.batching.BatcherClosedException;
import dev.maas.worker.batching.InferenceTask;
import dev.maas.worker.cluster.ModelIdInterceptor;
import dev.maas.worker.lifecycle.ModelRegistry;
import dev.maas.worker.lifecycle.ModelVersion;
import dev.maas.worker.metrics.VersionStatistics;
import dev.maas.worker.metrics.WorkerMetrics;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one ModelInfer request: resolves the version, checks the inputs, queues the request on the
 * version's batcher with the call's deadline and cancellation, and records the outcome. A call with
 * a {@code maas-model-id} header runs on the model that header names, and its answer carries the
 * model name and version the request sent.
 */
final class InferenceCalls {

  /** How often a request without a version follows a version swap before giving up. */
  private static final int MAX_RESOLVE_ATTEMPTS = 3;

  private final ModelRegistry registry;
  private final WorkerMetrics metrics;

  InferenceCalls(ModelRegistry registry, WorkerMetrics metrics) {
    this.registry = registry;
    this.metrics = metrics;
  }

  /**
   * The response, or a future failed with a {@link StatusRuntimeException}; never throws. Call it
   * on the gRPC call's thread, where the {@code maas-model-id} header can be read.
   */
  CompletableFuture<ModelInferResponse> infer(ModelInferRequest request) {
    long start = System.nanoTime();
    ModelVersion version = null;
    try {
      OptionalLong asked = ModelDescriptions.parseVersion(request.getModelVersion());
      ModelDescriptions.checkName(request.getModelName());
      Optional<String> modelId = ModelIdInterceptor.current();
      boolean pinned = asked.isPresent() && modelId.isEmpty();
      for (int attempt = 1; ; attempt++) {
        version = ModelDescriptions.resolve(registry, request.getModelName(), asked, modelId);
        DecodedRequest decoded =
            InferRequestDecoder.decode(
                request,
                version.signature().orElseThrow(),
                version.batching(),
                version.allowsNonFiniteInputs());
        InferenceTask task = InferenceTask.of(decoded.inputs(), decoded.items(), deadlineNanos());
        Context context = Context.current();
        Context.CancellationListener onCancel = cancelled -> task.cancel();
        context.addListener(onCancel, Runnable::run);
        try {
          version.batcher().schedule(task);
        } catch (BatcherClosedException swapped) {
          context.removeListener(onCancel);
          if (pinned || attempt == MAX_RESOLVE_ATTEMPTS) {
            throw swapped;
          }
          continue;
        }
        ModelVersion ran = version;
        String label =
            modelId.isPresent()
                ? ModelIdInterceptor.currentVersion().orElse(request.getModelVersion())
                : ran.label();
        return task.result()
            .thenApply(outputs -> InferResponseEncoder.encode(request, label, decoded, outputs))
            .handle(
                (response, error) -> {
                  context.removeListener(onCancel);
                  if (error != null) {
                    throw fail(ran, start, error);
                  }
                  ran.statistics()
                      .ifPresent(s -> s.recordSuccess(decoded.items(), System.nanoTime() - start));
                  return response;
                });
      }
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(fail(version, start, e));
    }
  }

  /** Maps a failure to its status once, and counts it against the version when there is one. */
  private StatusRuntimeException fail(ModelVersion version, long start, Throwable error) {
    Status status = WorkerStatusMapping.toStatus(error);
    String code = status.getCode().name();
    VersionStatistics statistics = version == null ? null : version.statistics().orElse(null);
    if (statistics == null) {
      metrics.recordUnresolvedFailure(code);
    } else {
      statistics.recordFailure(code, System.nanoTime() - start);
    }
    return status.asRuntimeException();
  }

  private static long deadlineNanos() {
    Deadline deadline = Context.current().getDeadline();
    return deadline == null
        ? InferenceTask.NO_DEADLINE
        : System.nanoTime() + deadline.timeRemaining(TimeUnit.NANOSECONDS);
  }
}
