package dev.maas.sdk.admin;

import dev.maas.proto.admin.v1.CreateTenantRequest;
import dev.maas.proto.admin.v1.DeleteTenantRequest;
import dev.maas.proto.admin.v1.GetTenantRequest;
import dev.maas.proto.admin.v1.ListTenantsRequest;
import dev.maas.proto.admin.v1.ResumeTenantRequest;
import dev.maas.proto.admin.v1.SuspendTenantRequest;
import dev.maas.proto.admin.v1.TenantServiceGrpc;
import dev.maas.proto.admin.v1.TenantServiceGrpc.TenantServiceBlockingStub;
import dev.maas.sdk.internal.AdminCalls;
import dev.maas.sdk.internal.Timestamps;
import java.util.List;

/**
 * Tenants: create, read, suspend, resume, delete. Creating, suspending, resuming and deleting need
 * the platform admin token; a manage key sees only its own tenant. Failures are {@link
 * dev.maas.sdk.MaasException}s: ALREADY_EXISTS for a taken name, NOT_FOUND for a tenant out of
 * reach, PERMISSION_DENIED for a key, FAILED_PRECONDITION for deleting a tenant with a deployment.
 */
public final class Tenants {

  private final AdminCalls calls;

  /** Internal: made by {@link dev.maas.sdk.MaasAdminClient#tenants()}. */
  public Tenants(AdminCalls calls) {
    this.calls = calls;
  }

  /** Creates a tenant. */
  public Tenant create(String name, String displayName) {
    CreateTenantRequest request =
        CreateTenantRequest.newBuilder()
            .setName(name)
            .setDisplayName(displayName == null ? "" : displayName)
            .build();
    return calls.call(() -> fromProto(stub().createTenant(request).getTenant()));
  }

  /** Returns one tenant. */
  public Tenant get(String name) {
    GetTenantRequest request = GetTenantRequest.newBuilder().setName(name).build();
    return calls.call(() -> fromProto(stub().getTenant(request).getTenant()));
  }

  /** Lists the tenants the caller may see, by name. */
  public List<Tenant> list() {
    return calls.call(
        () ->
            stub().listTenants(ListTenantsRequest.getDefaultInstance()).getTenantsList().stream()
                .map(Tenants::fromProto)
                .toList());
  }

  /** Suspends a tenant: its keys stop working until it is resumed. */
  public Tenant suspend(String name) {
    SuspendTenantRequest request = SuspendTenantRequest.newBuilder().setName(name).build();
    return calls.call(() -> fromProto(stub().suspendTenant(request).getTenant()));
  }

  /** Resumes a suspended tenant. */
  public Tenant resume(String name) {
    ResumeTenantRequest request = ResumeTenantRequest.newBuilder().setName(name).build();
    return calls.call(() -> fromProto(stub().resumeTenant(request).getTenant()));
  }

  /** Deletes a tenant with its keys, quotas and models. */
  public void delete(String name) {
    DeleteTenantRequest request = DeleteTenantRequest.newBuilder().setName(name).build();
    calls.call(() -> stub().deleteTenant(request));
  }

  private TenantServiceBlockingStub stub() {
    return calls.stub(TenantServiceGrpc::newBlockingStub);
  }

  static Tenant fromProto(dev.maas.proto.admin.v1.Tenant tenant) {
    TenantStatus status =
        switch (tenant.getStatus()) {
          case TENANT_STATUS_ACTIVE -> TenantStatus.ACTIVE;
          case TENANT_STATUS_SUSPENDED -> TenantStatus.SUSPENDED;
          default -> TenantStatus.UNKNOWN;
        };
    return new Tenant(
        tenant.getName(),
        tenant.getDisplayName(),
        status,
        Timestamps.toInstant(tenant.hasCreateTime(), tenant.getCreateTime()));
  }
}
