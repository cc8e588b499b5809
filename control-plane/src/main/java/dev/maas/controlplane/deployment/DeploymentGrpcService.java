package dev.maas.controlplane.deployment;

import dev.maas.controlplane.auth.Principal;
import dev.maas.controlplane.grpc.AdminApi;
import dev.maas.controlplane.grpc.Calls;
import dev.maas.proto.admin.v1.DeleteDeploymentRequest;
import dev.maas.proto.admin.v1.DeleteDeploymentResponse;
import dev.maas.proto.admin.v1.DeploymentServiceGrpc;
import dev.maas.proto.admin.v1.GetDeploymentRequest;
import dev.maas.proto.admin.v1.GetDeploymentResponse;
import dev.maas.proto.admin.v1.SetDeploymentRequest;
import dev.maas.proto.admin.v1.SetDeploymentResponse;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;

/** The gRPC front end of deployments. */
@Singleton
final class DeploymentGrpcService extends DeploymentServiceGrpc.DeploymentServiceImplBase
    implements AdminApi {

  private final DeploymentService deployments;

  DeploymentGrpcService(DeploymentService deployments) {
    this.deployments = deployments;
  }

  @Override
  public void setDeployment(
      SetDeploymentRequest request, StreamObserver<SetDeploymentResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          Deployment requested = DeploymentMapper.fromProto(request.getDeployment());
          DeploymentService.Status stored = deployments.set(Principal.current(), requested);
          return SetDeploymentResponse.newBuilder()
              .setDeployment(DeploymentMapper.toProto(stored.deployment(), stored.replicas()))
              .build();
        });
  }

  @Override
  public void getDeployment(
      GetDeploymentRequest request, StreamObserver<GetDeploymentResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          DeploymentService.Status status =
              deployments.get(Principal.current(), request.getTenant(), request.getModel());
          return GetDeploymentResponse.newBuilder()
              .setDeployment(DeploymentMapper.toProto(status.deployment(), status.replicas()))
              .build();
        });
  }

  @Override
  public void deleteDeployment(
      DeleteDeploymentRequest request, StreamObserver<DeleteDeploymentResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          deployments.delete(Principal.current(), request.getTenant(), request.getModel());
          return DeleteDeploymentResponse.getDefaultInstance();
        });
  }
}
