package dev.maas.worker.grpc;

import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.ModelMetadataRequest;
import dev.maas.proto.inference.ModelMetadataResponse;
import dev.maas.proto.inference.ModelReadyRequest;
import dev.maas.proto.inference.ModelReadyResponse;
import dev.maas.proto.inference.ModelStatisticsRequest;
import dev.maas.proto.inference.ModelStatisticsResponse;
import dev.maas.proto.inference.ModelStreamInferResponse;
import dev.maas.proto.inference.RepositoryIndexRequest;
import dev.maas.proto.inference.RepositoryIndexResponse;
import dev.maas.proto.inference.ServerLiveRequest;
import dev.maas.proto.inference.ServerLiveResponse;
import dev.maas.proto.inference.ServerMetadataRequest;
import dev.maas.proto.inference.ServerMetadataResponse;
import dev.maas.proto.inference.ServerReadyRequest;
import dev.maas.proto.inference.ServerReadyResponse;
import dev.maas.worker.lifecycle.ModelRegistry;
import dev.maas.worker.metrics.WorkerMetrics;
import io.grpc.stub.StreamObserver;
import java.util.function.BooleanSupplier;

/**
 * The Open Inference Protocol front end of the worker: validates, hands the request to the model
 * feature, maps the answer to the protocol.
 */
public final class InferenceService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

  /** The worker's name in ServerMetadata. */
  public static final String SERVER_NAME = "maas-worker";

  private final ModelRegistry registry;
  private final BooleanSupplier serverReady;
  private final InferenceCalls calls;
  private final ModelDescriptions descriptions;

  /**
   * @param serverReady whether the worker has loaded its repository and is not shutting down
   */
  public InferenceService(
      ModelRegistry registry, BooleanSupplier serverReady, WorkerMetrics metrics) {
    this.registry = registry;
    this.serverReady = serverReady;
    this.calls = new InferenceCalls(registry, metrics);
    this.descriptions = new ModelDescriptions(registry);
  }

  @Override
  public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> observer) {
    observer.onNext(ServerLiveResponse.newBuilder().setLive(true).build());
    observer.onCompleted();
  }

  @Override
  public void serverReady(
      ServerReadyRequest request, StreamObserver<ServerReadyResponse> observer) {
    observer.onNext(ServerReadyResponse.newBuilder().setReady(serverReady.getAsBoolean()).build());
    observer.onCompleted();
  }

  @Override
  public void serverMetadata(
      ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> observer) {
    String version = InferenceService.class.getPackage().getImplementationVersion();
    observer.onNext(
        ServerMetadataResponse.newBuilder()
            .setName(SERVER_NAME)
            .setVersion(version == null ? "dev" : version)
            .addExtensions("model_repository")
            .addExtensions("statistics")
            .build());
    observer.onCompleted();
  }

  @Override
  public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> observer) {
    try {
      observer.onNext(descriptions.ready(request));
      observer.onCompleted();
    } catch (RuntimeException e) {
      observer.onError(WorkerStatusMapping.toStatus(e).asRuntimeException());
    }
  }

  @Override
  public void modelMetadata(
      ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> observer) {
    try {
      observer.onNext(descriptions.metadata(request));
      observer.onCompleted();
    } catch (RuntimeException e) {
      observer.onError(WorkerStatusMapping.toStatus(e).asRuntimeException());
    }
  }

  @Override
  public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> observer) {
    calls
        .infer(request)
        .whenComplete(
            (response, error) -> {
              if (error != null) {
                observer.onError(WorkerStatusMapping.toStatus(error).asRuntimeException());
              } else {
                observer.onNext(response);
                observer.onCompleted();
              }
            });
  }

  @Override
  public StreamObserver<ModelInferRequest> modelStreamInfer(
      StreamObserver<ModelStreamInferResponse> observer) {
    return new StreamInferCall(calls, observer);
  }

  @Override
  public void modelStatistics(
      ModelStatisticsRequest request, StreamObserver<ModelStatisticsResponse> observer) {
    try {
      observer.onNext(descriptions.statistics(request));
      observer.onCompleted();
    } catch (RuntimeException e) {
      observer.onError(WorkerStatusMapping.toStatus(e).asRuntimeException());
    }
  }

  @Override
  public void repositoryIndex(
      RepositoryIndexRequest request, StreamObserver<RepositoryIndexResponse> observer) {
    observer.onNext(descriptions.index(request));
    observer.onCompleted();
  }
}
