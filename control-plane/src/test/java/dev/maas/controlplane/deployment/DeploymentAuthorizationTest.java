package dev.maas.controlplane.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.controlplane.testing.ControlPlaneExtension;
import dev.maas.proto.admin.v1.DeleteDeploymentRequest;
import dev.maas.proto.admin.v1.Deployment;
import dev.maas.proto.admin.v1.DeploymentServiceGrpc;
import dev.maas.proto.admin.v1.GetDeploymentRequest;
import dev.maas.proto.admin.v1.Scope;
import dev.maas.proto.admin.v1.SetDeploymentRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DeploymentAuthorizationTest {

  @RegisterExtension static final ControlPlaneExtension plane = new ControlPlaneExtension();

  static String acmeManage;
  static String acmeInfer;
  static String globexManage;

  @BeforeAll
  static void tenantsKeysAndModels() throws Exception {
    plane.createTenant("acme");
    plane.createTenant("globex");
    acmeManage = plane.createKey("acme", Scope.SCOPE_MANAGE);
    acmeInfer = plane.createKey("acme", Scope.SCOPE_INFER);
    globexManage = plane.createKey("globex", Scope.SCOPE_MANAGE);
    ModelRows models = new ModelRows(plane);
    models.model("acme", "lenet", "READY");
    models.model("acme", "spare", "READY");
    DeploymentServiceGrpc.newBlockingStub(plane.admin())
        .setDeployment(SetDeploymentRequest.newBuilder().setDeployment(lenet()).build());
  }

  private static Deployment lenet() {
    return Deployment.newBuilder().setTenant("acme").setModel("lenet").setDefaultVersion(1).build();
  }

  private static DeploymentServiceGrpc.DeploymentServiceBlockingStub as(String credential) {
    return DeploymentServiceGrpc.newBlockingStub(plane.as(credential));
  }

  private static Status statusOf(Runnable call) {
    try {
      call.run();
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  private static Status set(String credential, Deployment deployment) {
    return statusOf(
        () ->
            as(credential)
                .setDeployment(
                    SetDeploymentRequest.newBuilder().setDeployment(deployment).build()));
  }

  private static Status get(String credential, String tenant, String model) {
    return statusOf(
        () ->
            as(credential)
                .getDeployment(
                    GetDeploymentRequest.newBuilder().setTenant(tenant).setModel(model).build()));
  }

  private static Status delete(String credential, String tenant, String model) {
    return statusOf(
        () ->
            as(credential)
                .deleteDeployment(
                    DeleteDeploymentRequest.newBuilder()
                        .setTenant(tenant)
                        .setModel(model)
                        .build()));
  }

  @Test
  void ownManageKey_mayReadAndSet() {
    assertThat(get(acmeManage, "acme", "lenet").getCode()).isEqualTo(Status.Code.OK);
    assertThat(set(acmeManage, lenet()).getCode()).isEqualTo(Status.Code.OK);
  }

  @Test
  void anotherTenantsManageKey_getsNotFound_asForAMissingTenant() {
    Status missingTenant = get(globexManage, "nosuch", "lenet");

    for (Status status :
        new Status[] {
          get(globexManage, "acme", "lenet"),
          set(globexManage, lenet()),
          delete(globexManage, "acme", "lenet")
        }) {
      assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
      assertThat(status.getDescription().replace("acme", "X"))
          .isEqualTo(missingTenant.getDescription().replace("nosuch", "X"));
    }
    assertThat(get(acmeManage, "acme", "lenet").getCode()).isEqualTo(Status.Code.OK);
  }

  @Test
  void inferKey_isPermissionDenied() {
    assertThat(get(acmeInfer, "acme", "lenet").getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(set(acmeInfer, lenet()).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(delete(acmeInfer, "acme", "lenet").getCode())
        .isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void noCredentials_isUnauthenticated() {
    assertThat(get(null, "acme", "lenet").getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void ownManageKey_mayDelete() {
    Deployment spare = lenet().toBuilder().setModel("spare").build();
    assertThat(set(acmeManage, spare).getCode()).isEqualTo(Status.Code.OK);

    assertThat(delete(acmeManage, "acme", "spare").getCode()).isEqualTo(Status.Code.OK);
    assertThat(get(acmeManage, "acme", "spare").getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void getAndDelete_needTenantAndModel() {
    assertThat(get(acmeManage, "acme", "").getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(delete(acmeManage, "", "lenet").getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }
}
