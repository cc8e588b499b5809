package dev.maas.controlplane.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.maas.controlplane.testing.ControlPlaneExtension;
import dev.maas.controlplane.upload.TestArchives;
import dev.maas.controlplane.upload.UploadClient;
import dev.maas.proto.admin.v1.CreateModelRequest;
import dev.maas.proto.admin.v1.DeleteModelRequest;
import dev.maas.proto.admin.v1.GetModelRequest;
import dev.maas.proto.admin.v1.GetVersionRequest;
import dev.maas.proto.admin.v1.ListModelsRequest;
import dev.maas.proto.admin.v1.ListVersionsRequest;
import dev.maas.proto.admin.v1.ModelServiceGrpc;
import dev.maas.proto.admin.v1.RetireVersionRequest;
import dev.maas.proto.admin.v1.Scope;
import dev.maas.proto.admin.v1.VersionState;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Keys reach only their own tenant's models: others' are answered as missing. */
class ModelAuthorizationTest {

  @RegisterExtension static final ControlPlaneExtension plane = new ControlPlaneExtension();

  static String acmeManage;
  static String acmeInfer;
  static String globexManage;

  @BeforeAll
  static void tenantsKeysAndAModel() {
    plane.createTenant("acme");
    plane.createTenant("globex");
    acmeManage = plane.createKey("acme", Scope.SCOPE_MANAGE);
    acmeInfer = plane.createKey("acme", Scope.SCOPE_INFER);
    globexManage = plane.createKey("globex", Scope.SCOPE_MANAGE);
    ModelServiceGrpc.newBlockingStub(plane.as(acmeManage))
        .createModel(CreateModelRequest.newBuilder().setTenant("acme").setName("secret").build());
    assertThat(
            UploadClient.upload(plane.as(acmeManage), "acme", "secret", TestArchives.savedModel())
                .getState())
        .isEqualTo(VersionState.VERSION_STATE_READY);
  }

  /** Every rpc of the model service, on {@code tenant}'s model {@code model}, version 1. */
  private static Map<String, Consumer<String>> everyRpc(String tenant, String model) {
    Map<String, Consumer<String>> rpcs = new LinkedHashMap<>();
    rpcs.put(
        "CreateModel",
        key ->
            stub(key)
                .createModel(
                    CreateModelRequest.newBuilder().setTenant(tenant).setName("new").build()));
    rpcs.put(
        "GetModel",
        key ->
            stub(key)
                .getModel(GetModelRequest.newBuilder().setTenant(tenant).setName(model).build()));
    rpcs.put(
        "ListModels",
        key -> stub(key).listModels(ListModelsRequest.newBuilder().setTenant(tenant).build()));
    rpcs.put(
        "GetVersion",
        key ->
            stub(key)
                .getVersion(
                    GetVersionRequest.newBuilder()
                        .setTenant(tenant)
                        .setModel(model)
                        .setVersion(1)
                        .build()));
    rpcs.put(
        "ListVersions",
        key ->
            stub(key)
                .listVersions(
                    ListVersionsRequest.newBuilder().setTenant(tenant).setModel(model).build()));
    rpcs.put(
        "RetireVersion",
        key ->
            stub(key)
                .retireVersion(
                    RetireVersionRequest.newBuilder()
                        .setTenant(tenant)
                        .setModel(model)
                        .setVersion(1)
                        .build()));
    rpcs.put(
        "UploadVersion",
        key -> UploadClient.upload(plane.as(key), tenant, model, TestArchives.savedModel("x")));
    rpcs.put(
        "DeleteModel",
        key ->
            stub(key)
                .deleteModel(
                    DeleteModelRequest.newBuilder().setTenant(tenant).setName(model).build()));
    return rpcs;
  }

  private static ModelServiceGrpc.ModelServiceBlockingStub stub(String key) {
    return ModelServiceGrpc.newBlockingStub(plane.as(key));
  }

  private static Status statusOf(Consumer<String> rpc, String key) {
    return assertThrows(StatusRuntimeException.class, () -> rpc.accept(key)).getStatus();
  }

  @Test
  void anotherTenantsManageKey_getsNotFound_onEveryRpc_worded_asForAMissingTenant() {
    Map<String, Consumer<String>> onAcme = everyRpc("acme", "secret");
    Map<String, Consumer<String>> onNobody = everyRpc("nosuch", "secret");

    for (String rpc : onAcme.keySet()) {
      Status other = statusOf(onAcme.get(rpc), globexManage);
      Status missing = statusOf(onNobody.get(rpc), globexManage);
      assertThat(other.getCode()).as(rpc).isEqualTo(Status.Code.NOT_FOUND);
      assertThat(other.getDescription().replace("acme", "X"))
          .as(rpc)
          .isEqualTo(missing.getDescription().replace("nosuch", "X"));
    }
    assertThat(
            stub(acmeManage)
                .getModel(GetModelRequest.newBuilder().setTenant("acme").setName("secret").build())
                .getVersionsList())
        .singleElement()
        .extracting(v -> v.getState())
        .isEqualTo(VersionState.VERSION_STATE_READY);
  }

  @Test
  void ownModelThatDoesNotExist_andOthersModel_areBothNotFound() {
    Status own =
        statusOf(
            key ->
                stub(key)
                    .getModel(
                        GetModelRequest.newBuilder().setTenant("globex").setName("secret").build()),
            globexManage);

    assertThat(own.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(own.getDescription()).isEqualTo("model 'secret' not found in tenant 'globex'");
  }

  @Test
  void inferKey_getsPermissionDenied_onEveryRpc() {
    everyRpc("acme", "secret")
        .forEach(
            (rpc, call) ->
                assertThat(statusOf(call, acmeInfer).getCode())
                    .as(rpc)
                    .isEqualTo(Status.Code.PERMISSION_DENIED));
  }
}
