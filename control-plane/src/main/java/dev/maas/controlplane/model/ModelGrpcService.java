package dev.maas.controlplane.model;

import dev.maas.controlplane.auth.Principal;
import dev.maas.controlplane.deployment.DeploymentMapper;
import dev.maas.controlplane.grpc.AdminApi;
import dev.maas.controlplane.grpc.Calls;
import dev.maas.proto.admin.v1.CreateModelRequest;
import dev.maas.proto.admin.v1.CreateModelResponse;
import dev.maas.proto.admin.v1.DeleteModelRequest;
import dev.maas.proto.admin.v1.DeleteModelResponse;
import dev.maas.proto.admin.v1.GetModelRequest;
import dev.maas.proto.admin.v1.GetModelResponse;
import dev.maas.proto.admin.v1.GetVersionRequest;
import dev.maas.proto.admin.v1.GetVersionResponse;
import dev.maas.proto.admin.v1.ListModelsRequest;
import dev.maas.proto.admin.v1.ListModelsResponse;
import dev.maas.proto.admin.v1.ListVersionsRequest;
import dev.maas.proto.admin.v1.ListVersionsResponse;
import dev.maas.proto.admin.v1.ModelServiceGrpc;
import dev.maas.proto.admin.v1.RetireVersionRequest;
import dev.maas.proto.admin.v1.RetireVersionResponse;
import dev.maas.proto.admin.v1.UploadVersionRequest;
import dev.maas.proto.admin.v1.UploadVersionResponse;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;

/**
 * The gRPC front end of models and versions: maps requests to {@link ModelService}, {@link
 * VersionService} and {@link VersionUploads}, and results back. GetModel leaves the deployment
 * unset; the deployment feature serves it.
 */
@Singleton
final class ModelGrpcService extends ModelServiceGrpc.ModelServiceImplBase implements AdminApi {

  private final ModelService models;
  private final VersionService versions;
  private final VersionUploads uploads;

  ModelGrpcService(ModelService models, VersionService versions, VersionUploads uploads) {
    this.models = models;
    this.versions = versions;
    this.uploads = uploads;
  }

  @Override
  public void createModel(
      CreateModelRequest request, StreamObserver<CreateModelResponse> observer) {
    Calls.unary(
        observer,
        () ->
            CreateModelResponse.newBuilder()
                .setModel(
                    ModelProtoMapper.toProto(
                        models.create(
                            Principal.current(),
                            request.getTenant(),
                            request.getName(),
                            request.getDescription())))
                .build());
  }

  @Override
  public void getModel(GetModelRequest request, StreamObserver<GetModelResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          ModelService.Details details =
              models.get(Principal.current(), request.getTenant(), request.getName());
          GetModelResponse.Builder response =
              GetModelResponse.newBuilder().setModel(ModelProtoMapper.toProto(details.model()));
          details.versions().forEach(v -> response.addVersions(ModelProtoMapper.toProto(v)));
          details
              .deployment()
              .map(d -> DeploymentMapper.toProto(d, details.replicas()))
              .ifPresent(response::setDeployment);
          return response.build();
        });
  }

  @Override
  public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          ListModelsResponse.Builder response = ListModelsResponse.newBuilder();
          models
              .list(Principal.current(), request.getTenant())
              .forEach(m -> response.addModels(ModelProtoMapper.toProto(m)));
          return response.build();
        });
  }

  @Override
  public void deleteModel(
      DeleteModelRequest request, StreamObserver<DeleteModelResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          models.delete(Principal.current(), request.getTenant(), request.getName());
          return DeleteModelResponse.getDefaultInstance();
        });
  }

  @Override
  public StreamObserver<UploadVersionRequest> uploadVersion(
      StreamObserver<UploadVersionResponse> observer) {
    return uploads.open(Principal.current(), observer);
  }

  @Override
  public void getVersion(GetVersionRequest request, StreamObserver<GetVersionResponse> observer) {
    Calls.unary(
        observer,
        () ->
            GetVersionResponse.newBuilder()
                .setVersion(
                    ModelProtoMapper.toProto(
                        versions.get(
                            Principal.current(),
                            request.getTenant(),
                            request.getModel(),
                            request.getVersion())))
                .build());
  }

  @Override
  public void listVersions(
      ListVersionsRequest request, StreamObserver<ListVersionsResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          ListVersionsResponse.Builder response = ListVersionsResponse.newBuilder();
          versions
              .list(Principal.current(), request.getTenant(), request.getModel())
              .forEach(v -> response.addVersions(ModelProtoMapper.toProto(v)));
          return response.build();
        });
  }

  @Override
  public void retireVersion(
      RetireVersionRequest request, StreamObserver<RetireVersionResponse> observer) {
    Calls.unary(
        observer,
        () ->
            RetireVersionResponse.newBuilder()
                .setVersion(
                    ModelProtoMapper.toProto(
                        versions.retire(
                            Principal.current(),
                            request.getTenant(),
                            request.getModel(),
                            request.getVersion())))
                .build());
  }
}
