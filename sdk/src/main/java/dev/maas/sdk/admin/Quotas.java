package dev.maas.sdk.admin;

import dev.maas.proto.admin.v1.GetQuotaRequest;
import dev.maas.proto.admin.v1.GetQuotaResponse;
import dev.maas.proto.admin.v1.QuotaServiceGrpc;
import dev.maas.proto.admin.v1.QuotaServiceGrpc.QuotaServiceBlockingStub;
import dev.maas.proto.admin.v1.SetQuotaRequest;
import dev.maas.sdk.internal.AdminCalls;

/** Tenant quotas: read them (admin or the tenant's manage key), set them (admin only). */
public final class Quotas {

  private final AdminCalls calls;

  /** Internal: made by {@link dev.maas.sdk.MaasAdminClient#quotas()}. */
  public Quotas(AdminCalls calls) {
    this.calls = calls;
  }

  /** The tenant's limits in force and its own overrides. */
  public QuotaLimits get(String tenant) {
    GetQuotaResponse response =
        calls.call(() -> stub().getQuota(GetQuotaRequest.newBuilder().setTenant(tenant).build()));
    return new QuotaLimits(fromProto(response.getQuota()), fromProto(response.getOverrides()));
  }

  /**
   * Replaces the tenant's own limits with {@code overrides}: its null fields follow the platform
   * default (to change one limit and keep the others, start from {@link QuotaLimits#overrides()}).
   *
   * @return the limits in force now
   */
  public Quota set(String tenant, Quota overrides) {
    SetQuotaRequest request =
        SetQuotaRequest.newBuilder().setTenant(tenant).setQuota(toProto(overrides)).build();
    return calls.call(() -> fromProto(stub().setQuota(request).getQuota()));
  }

  private QuotaServiceBlockingStub stub() {
    return calls.stub(QuotaServiceGrpc::newBlockingStub);
  }

  private static Quota fromProto(dev.maas.proto.admin.v1.Quota quota) {
    return new Quota(
        quota.hasRequestsPerSecond() ? quota.getRequestsPerSecond() : null,
        quota.hasBurst() ? quota.getBurst() : null,
        quota.hasMaxConcurrentRequests() ? quota.getMaxConcurrentRequests() : null,
        quota.hasMaxRequestBytes() ? quota.getMaxRequestBytes() : null,
        quota.hasMonthlyRequests() ? quota.getMonthlyRequests() : null,
        quota.hasMaxModels() ? quota.getMaxModels() : null,
        quota.hasMaxStorageBytes() ? quota.getMaxStorageBytes() : null,
        quota.hasMaxReplicas() ? quota.getMaxReplicas() : null);
  }

  private static dev.maas.proto.admin.v1.Quota toProto(Quota quota) {
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
