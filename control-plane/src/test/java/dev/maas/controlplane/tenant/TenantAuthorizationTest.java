package dev.maas.controlplane.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maas.controlplane.testing.ControlPlaneExtension;
import dev.maas.proto.admin.v1.ApiKeyServiceGrpc;
import dev.maas.proto.admin.v1.CreateApiKeyRequest;
import dev.maas.proto.admin.v1.CreateTenantRequest;
import dev.maas.proto.admin.v1.DeleteTenantRequest;
import dev.maas.proto.admin.v1.GetTenantRequest;
import dev.maas.proto.admin.v1.ListApiKeysRequest;
import dev.maas.proto.admin.v1.ListTenantsRequest;
import dev.maas.proto.admin.v1.ResumeTenantRequest;
import dev.maas.proto.admin.v1.RevokeApiKeyRequest;
import dev.maas.proto.admin.v1.Scope;
import dev.maas.proto.admin.v1.SuspendTenantRequest;
import dev.maas.proto.admin.v1.Tenant;
import dev.maas.proto.admin.v1.TenantServiceGrpc;
import dev.maas.proto.admin.v1.TenantStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TenantAuthorizationTest {

  @RegisterExtension static final ControlPlaneExtension plane = new ControlPlaneExtension();

  static String acmeManage;
  static String acmeInfer;
  static String globexManage;

  @BeforeAll
  static void tenantsAndKeys() {
    plane.createTenant("acme");
    plane.createTenant("globex");
    acmeManage = plane.createKey("acme", Scope.SCOPE_MANAGE);
    acmeInfer = plane.createKey("acme", Scope.SCOPE_INFER);
    globexManage = plane.createKey("globex", Scope.SCOPE_MANAGE, Scope.SCOPE_INFER);
  }

  private static TenantServiceGrpc.TenantServiceBlockingStub tenants(String credential) {
    return TenantServiceGrpc.newBlockingStub(plane.as(credential));
  }

  private static Status.Code codeOf(Runnable call) {
    try {
      call.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void adminCreatesAndReadsTenants() {
    Tenant tenant =
        tenants(ControlPlaneExtension.ADMIN_TOKEN)
            .getTenant(GetTenantRequest.newBuilder().setName("acme").build())
            .getTenant();

    assertThat(tenant.getName()).isEqualTo("acme");
    assertThat(tenant.getStatus()).isEqualTo(TenantStatus.TENANT_STATUS_ACTIVE);
    assertThat(
            tenants(ControlPlaneExtension.ADMIN_TOKEN)
                .listTenants(ListTenantsRequest.getDefaultInstance())
                .getTenantsList())
        .extracting(Tenant::getName)
        .contains("acme", "globex");
  }

  @Test
  void duplicateTenantIsAlreadyExists_badNameIsInvalidArgument() {
    assertThat(codeOf(() -> plane.createTenant("acme"))).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThatThrownBy(() -> plane.createTenant("Bad_Name"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains("Bad_Name");
            });
  }

  @Test
  void manageKeySeesOnlyItsOwnTenant_otherTenantIsAnsweredAsMissing() {
    assertThat(
            tenants(acmeManage)
                .listTenants(ListTenantsRequest.getDefaultInstance())
                .getTenantsList())
        .extracting(Tenant::getName)
        .containsExactly("acme");

    StatusRuntimeException other =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class,
            () ->
                tenants(acmeManage)
                    .getTenant(GetTenantRequest.newBuilder().setName("globex").build()));
    StatusRuntimeException missing =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class,
            () ->
                tenants(acmeManage)
                    .getTenant(GetTenantRequest.newBuilder().setName("nosuch").build()));

    assertThat(other.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(other.getStatus().getDescription().replace("globex", "X"))
        .isEqualTo(missing.getStatus().getDescription().replace("nosuch", "X"));
  }

  @Test
  void authMatrix_forCreateTenant() {
    Runnable asAdmin =
        () ->
            tenants(ControlPlaneExtension.ADMIN_TOKEN)
                .createTenant(CreateTenantRequest.newBuilder().setName("initech").build());
    assertThat(codeOf(asAdmin)).isEqualTo(Status.Code.OK);
    assertThat(
            codeOf(
                () ->
                    tenants(acmeManage)
                        .createTenant(CreateTenantRequest.newBuilder().setName("t1").build())))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(
            codeOf(
                () ->
                    tenants(acmeInfer)
                        .createTenant(CreateTenantRequest.newBuilder().setName("t2").build())))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(
            codeOf(
                () ->
                    tenants(null)
                        .createTenant(CreateTenantRequest.newBuilder().setName("t3").build())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(
            codeOf(
                () ->
                    tenants("mk_aaaaaaaaaaaaaaaa_" + "x".repeat(43))
                        .createTenant(CreateTenantRequest.newBuilder().setName("t4").build())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(
            codeOf(() -> tenants("not-a-key").listTenants(ListTenantsRequest.getDefaultInstance())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(
            codeOf(
                () ->
                    tenants(ControlPlaneExtension.CLUSTER_TOKEN)
                        .listTenants(ListTenantsRequest.getDefaultInstance())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void revokedKeyIsUnauthenticated() {
    String key = plane.createKey("acme", Scope.SCOPE_MANAGE);
    assertThat(codeOf(() -> tenants(key).listTenants(ListTenantsRequest.getDefaultInstance())))
        .isEqualTo(Status.Code.OK);
    String keyId = key.substring(3, 19);

    ApiKeyServiceGrpc.newBlockingStub(plane.as(acmeManage))
        .revokeApiKey(RevokeApiKeyRequest.newBuilder().setTenant("acme").setKeyId(keyId).build());

    assertThatThrownBy(() -> tenants(key).listTenants(ListTenantsRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(e.getStatus().getDescription()).contains("revoked");
            });
  }

  @Test
  void expiredKeyIsUnauthenticated() throws Exception {
    String key = plane.createKey("acme", Scope.SCOPE_MANAGE);
    try (Connection sql = plane.sql();
        PreparedStatement expire =
            sql.prepareStatement(
                "update api_keys set expires_at = now() - interval '1 second' where key_id = ?")) {
      expire.setString(1, key.substring(3, 19));
      assertThat(expire.executeUpdate()).isEqualTo(1);
    }

    assertThatThrownBy(() -> tenants(key).listTenants(ListTenantsRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(e.getStatus().getDescription()).contains("expired");
            });
  }

  @Test
  void keysAreStoredOnlyAsHashes_andListedWithoutSecrets() throws Exception {
    String key = plane.createKey("globex", Scope.SCOPE_INFER);
    String secret = key.substring(20);
    try (Connection sql = plane.sql();
        PreparedStatement select =
            sql.prepareStatement("select secret_sha256 from api_keys where key_id = ?")) {
      select.setString(1, key.substring(3, 19));
      try (ResultSet rows = select.executeQuery()) {
        assertThat(rows.next()).isTrue();
        assertThat(new String(rows.getBytes(1), java.nio.charset.StandardCharsets.ISO_8859_1))
            .doesNotContain(secret);
        assertThat(rows.getBytes(1)).hasSize(32);
      }
    }
    assertThat(
            ApiKeyServiceGrpc.newBlockingStub(plane.as(globexManage))
                .listApiKeys(ListApiKeysRequest.newBuilder().setTenant("globex").build())
                .toString())
        .doesNotContain(secret);
  }

  @Test
  void manageKeyCannotCreateKeysInAnotherTenant() {
    assertThat(
            codeOf(
                () ->
                    ApiKeyServiceGrpc.newBlockingStub(plane.as(acmeManage))
                        .createApiKey(
                            CreateApiKeyRequest.newBuilder()
                                .setTenant("globex")
                                .addScopes(Scope.SCOPE_INFER)
                                .build())))
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void suspendedTenantsKeysArePermissionDenied_untilResumed() {
    plane.createTenant("umbrella");
    String key = plane.createKey("umbrella", Scope.SCOPE_MANAGE);
    TenantServiceGrpc.TenantServiceBlockingStub admin = tenants(ControlPlaneExtension.ADMIN_TOKEN);

    Tenant suspended =
        admin
            .suspendTenant(SuspendTenantRequest.newBuilder().setName("umbrella").build())
            .getTenant();
    assertThat(suspended.getStatus()).isEqualTo(TenantStatus.TENANT_STATUS_SUSPENDED);
    assertThat(codeOf(() -> tenants(key).listTenants(ListTenantsRequest.getDefaultInstance())))
        .isEqualTo(Status.Code.PERMISSION_DENIED);

    admin.resumeTenant(ResumeTenantRequest.newBuilder().setName("umbrella").build());
    assertThat(codeOf(() -> tenants(key).listTenants(ListTenantsRequest.getDefaultInstance())))
        .isEqualTo(Status.Code.OK);
  }

  @Test
  void deleteTenantRemovesIt_andIsAudited() throws Exception {
    plane.createTenant("doomed");
    tenants(ControlPlaneExtension.ADMIN_TOKEN)
        .deleteTenant(DeleteTenantRequest.newBuilder().setName("doomed").build());

    assertThat(
            codeOf(
                () ->
                    tenants(ControlPlaneExtension.ADMIN_TOKEN)
                        .getTenant(GetTenantRequest.newBuilder().setName("doomed").build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    try (Connection sql = plane.sql();
        PreparedStatement select =
            sql.prepareStatement(
                "select actor, before_json, after_json from audit_events"
                    + " where action = 'tenant.delete' and target = 'doomed'");
        ResultSet rows = select.executeQuery()) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString("actor")).isEqualTo("admin");
      assertThat(rows.getString("before_json")).contains("\"name\":\"doomed\"");
      assertThat(rows.getString("after_json")).isEmpty();
      assertThat(rows.next()).isFalse();
    }
  }
}
