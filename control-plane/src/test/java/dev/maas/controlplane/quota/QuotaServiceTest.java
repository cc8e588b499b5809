package dev.maas.controlplane.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maas.controlplane.testing.ControlPlaneExtension;
import dev.maas.proto.admin.v1.GetQuotaRequest;
import dev.maas.proto.admin.v1.GetQuotaResponse;
import dev.maas.proto.admin.v1.Quota;
import dev.maas.proto.admin.v1.QuotaServiceGrpc;
import dev.maas.proto.admin.v1.Scope;
import dev.maas.proto.admin.v1.SetQuotaRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class QuotaServiceTest {

  @RegisterExtension
  static final ControlPlaneExtension plane =
      new ControlPlaneExtension().with("maas.quota.max-models", 7);

  static String acmeManage;
  static String acmeInfer;

  @BeforeAll
  static void tenants() {
    plane.createTenant("acme");
    plane.createTenant("globex");
    acmeManage = plane.createKey("acme", Scope.SCOPE_MANAGE);
    acmeInfer = plane.createKey("acme", Scope.SCOPE_INFER);
  }

  private static QuotaServiceGrpc.QuotaServiceBlockingStub quotas(String credential) {
    return QuotaServiceGrpc.newBlockingStub(plane.as(credential));
  }

  private static GetQuotaRequest get(String tenant) {
    return GetQuotaRequest.newBuilder().setTenant(tenant).build();
  }

  @Test
  void tenantWithoutOverridesGetsThePlatformDefaults() {
    GetQuotaResponse quota = quotas(ControlPlaneExtension.ADMIN_TOKEN).getQuota(get("globex"));

    assertThat(quota.getQuota().getMaxModels()).isEqualTo(7);
    assertThat(quota.getQuota().getRequestsPerSecond()).isEqualTo(100.0);
    assertThat(quota.getOverrides().hasMaxModels()).isFalse();
  }

  @Test
  void adminOverridesSomeLimits_othersKeepTheDefault_andTheTenantSeesThem() {
    quotas(ControlPlaneExtension.ADMIN_TOKEN)
        .setQuota(
            SetQuotaRequest.newBuilder()
                .setTenant("acme")
                .setQuota(Quota.newBuilder().setRequestsPerSecond(5).setBurst(10))
                .build());

    GetQuotaResponse seen = quotas(acmeManage).getQuota(get("acme"));
    assertThat(seen.getQuota().getRequestsPerSecond()).isEqualTo(5.0);
    assertThat(seen.getQuota().getBurst()).isEqualTo(10);
    assertThat(seen.getQuota().getMaxModels()).isEqualTo(7);
    assertThat(seen.getOverrides().hasRequestsPerSecond()).isTrue();
    assertThat(seen.getOverrides().hasMaxModels()).isFalse();
  }

  @Test
  void authMatrix() {
    SetQuotaRequest raise =
        SetQuotaRequest.newBuilder()
            .setTenant("acme")
            .setQuota(Quota.newBuilder().setMaxModels(1000))
            .build();
    assertThatThrownBy(() -> quotas(acmeManage).setQuota(raise))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    assertThatThrownBy(() -> quotas(acmeManage).getQuota(get("globex")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    assertThatThrownBy(() -> quotas(acmeInfer).getQuota(get("acme")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    assertThatThrownBy(() -> quotas(null).getQuota(get("acme")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
  }

  @Test
  void negativeLimitsAreInvalid() {
    assertThatThrownBy(
            () ->
                quotas(ControlPlaneExtension.ADMIN_TOKEN)
                    .setQuota(
                        SetQuotaRequest.newBuilder()
                            .setTenant("acme")
                            .setQuota(Quota.newBuilder().setMaxReplicas(-1))
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains("max_replicas");
            });
  }
}
