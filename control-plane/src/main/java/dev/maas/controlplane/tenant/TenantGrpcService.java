package dev.maas.controlplane.tenant;

import dev.maas.controlplane.auth.Principal;
import dev.maas.controlplane.grpc.AdminApi;
import dev.maas.controlplane.grpc.Calls;
import dev.maas.controlplane.grpc.ProtoTime;
import dev.maas.proto.admin.v1.CreateTenantRequest;
import dev.maas.proto.admin.v1.CreateTenantResponse;
import dev.maas.proto.admin.v1.DeleteTenantRequest;
import dev.maas.proto.admin.v1.DeleteTenantResponse;
import dev.maas.proto.admin.v1.GetTenantRequest;
import dev.maas.proto.admin.v1.GetTenantResponse;
import dev.maas.proto.admin.v1.ListTenantsRequest;
import dev.maas.proto.admin.v1.ListTenantsResponse;
import dev.maas.proto.admin.v1.ResumeTenantRequest;
import dev.maas.proto.admin.v1.ResumeTenantResponse;
import dev.maas.proto.admin.v1.SuspendTenantRequest;
import dev.maas.proto.admin.v1.SuspendTenantResponse;
import dev.maas.proto.admin.v1.TenantServiceGrpc;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;

/** The gRPC front end of tenants: maps requests to {@link TenantService} and back. */
@Singleton
final class TenantGrpcService extends TenantServiceGrpc.TenantServiceImplBase implements AdminApi {

  private final TenantService tenants;

  TenantGrpcService(TenantService tenants) {
    this.tenants = tenants;
  }

  @Override
  public void createTenant(
      CreateTenantRequest request, StreamObserver<CreateTenantResponse> observer) {
    Calls.unary(
        observer,
        () ->
            CreateTenantResponse.newBuilder()
                .setTenant(
                    toProto(
                        tenants.create(
                            Principal.current(), request.getName(), request.getDisplayName())))
                .build());
  }

  @Override
  public void getTenant(GetTenantRequest request, StreamObserver<GetTenantResponse> observer) {
    Calls.unary(
        observer,
        () ->
            GetTenantResponse.newBuilder()
                .setTenant(toProto(tenants.get(Principal.current(), request.getName())))
                .build());
  }

  @Override
  public void listTenants(
      ListTenantsRequest request, StreamObserver<ListTenantsResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          ListTenantsResponse.Builder response = ListTenantsResponse.newBuilder();
          tenants.list(Principal.current()).forEach(t -> response.addTenants(toProto(t)));
          return response.build();
        });
  }

  @Override
  public void suspendTenant(
      SuspendTenantRequest request, StreamObserver<SuspendTenantResponse> observer) {
    Calls.unary(
        observer,
        () ->
            SuspendTenantResponse.newBuilder()
                .setTenant(
                    toProto(
                        tenants.setStatus(
                            Principal.current(), request.getName(), TenantStatus.SUSPENDED)))
                .build());
  }

  @Override
  public void resumeTenant(
      ResumeTenantRequest request, StreamObserver<ResumeTenantResponse> observer) {
    Calls.unary(
        observer,
        () ->
            ResumeTenantResponse.newBuilder()
                .setTenant(
                    toProto(
                        tenants.setStatus(
                            Principal.current(), request.getName(), TenantStatus.ACTIVE)))
                .build());
  }

  @Override
  public void deleteTenant(
      DeleteTenantRequest request, StreamObserver<DeleteTenantResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          tenants.delete(Principal.current(), request.getName());
          return DeleteTenantResponse.getDefaultInstance();
        });
  }

  static dev.maas.proto.admin.v1.Tenant toProto(Tenant tenant) {
    return dev.maas.proto.admin.v1.Tenant.newBuilder()
        .setName(tenant.name())
        .setDisplayName(tenant.displayName())
        .setStatus(
            tenant.status() == TenantStatus.ACTIVE
                ? dev.maas.proto.admin.v1.TenantStatus.TENANT_STATUS_ACTIVE
                : dev.maas.proto.admin.v1.TenantStatus.TENANT_STATUS_SUSPENDED)
        .setCreateTime(ProtoTime.of(tenant.createdAt()))
        .build();
  }
}
