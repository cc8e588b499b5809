package dev.maas.controlplane.quota;

import dev.maas.controlplane.auth.Principal;
import dev.maas.controlplane.grpc.AdminApi;
import dev.maas.controlplane.grpc.Calls;
import dev.maas.proto.admin.v1.GetQuotaRequest;
import dev.maas.proto.admin.v1.GetQuotaResponse;
import dev.maas.proto.admin.v1.QuotaServiceGrpc;
import dev.maas.proto.admin.v1.SetQuotaRequest;
import dev.maas.proto.admin.v1.SetQuotaResponse;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;

/** The gRPC front end of quotas. */
@Singleton
final class QuotaGrpcService extends QuotaServiceGrpc.QuotaServiceImplBase implements AdminApi {

  private final QuotaService quotas;

  QuotaGrpcService(QuotaService quotas) {
    this.quotas = quotas;
  }

  @Override
  public void getQuota(GetQuotaRequest request, StreamObserver<GetQuotaResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          QuotaService.Limits limits = quotas.get(Principal.current(), request.getTenant());
          return GetQuotaResponse.newBuilder()
              .setQuota(toProto(limits.effective()))
              .setOverrides(toProto(limits.overrides()))
              .build();
        });
  }

  @Override
  public void setQuota(SetQuotaRequest request, StreamObserver<SetQuotaResponse> observer) {
    Calls.unary(
        observer,
        () ->
            SetQuotaResponse.newBuilder()
                .setQuota(
                    toProto(
                        quotas
                            .set(
                                Principal.current(),
                                request.getTenant(),
                                fromProto(request.getQuota()))
                            .effective()))
                .build());
  }

  static Quota fromProto(dev.maas.proto.admin.v1.Quota proto) {
    return new Quota(
        proto.hasRequestsPerSecond() ? proto.getRequestsPerSecond() : null,
        proto.hasBurst() ? proto.getBurst() : null,
        proto.hasMaxConcurrentRequests() ? proto.getMaxConcurrentRequests() : null,
        proto.hasMaxRequestBytes() ? proto.getMaxRequestBytes() : null,
        proto.hasMonthlyRequests() ? proto.getMonthlyRequests() : null,
        proto.hasMaxModels() ? proto.getMaxModels() : null,
        proto.hasMaxStorageBytes() ? proto.getMaxStorageBytes() : null,
        proto.hasMaxReplicas() ? proto.getMaxReplicas() : null);
  }

  static dev.maas.proto.admin.v1.Quota toProto(Quota quota) {
    dev.maas.proto.admin.v1.Quota.Builder proto = dev.maas.proto.admin.v1.Quota.newBuilder();
    if (quota.requestsPerSecond() != null) {
      proto.setRequestsPerSecond(quota.requestsPerSecond());
    }
    if (quota.burst() != null) {
      proto.setBurst(quota.burst());
    }
    if (quota.maxConcurrentRequests() != null) {
      proto.setMaxConcurrentRequests(quota.maxConcurrentRequests());
    }
    if (quota.maxRequestBytes() != null) {
      proto.setMaxRequestBytes(quota.maxRequestBytes());
    }
    if (quota.monthlyRequests() != null) {
      proto.setMonthlyRequests(quota.monthlyRequests());
    }
    if (quota.maxModels() != null) {
      proto.setMaxModels(quota.maxModels());
    }
    if (quota.maxStorageBytes() != null) {
      proto.setMaxStorageBytes(quota.maxStorageBytes());
    }
    if (quota.maxReplicas() != null) {
      proto.setMaxReplicas(quota.maxReplicas());
    }
    return proto.build();
  }
}
