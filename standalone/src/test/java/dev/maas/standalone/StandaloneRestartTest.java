package dev.maas.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.maas.proto.admin.v1.ApiKeyServiceGrpc;
import dev.maas.proto.admin.v1.ListApiKeysRequest;
import dev.maas.proto.admin.v1.ListModelsRequest;
import dev.maas.proto.admin.v1.ListTenantsRequest;
import dev.maas.proto.admin.v1.ListVersionsRequest;
import dev.maas.proto.admin.v1.Model;
import dev.maas.proto.admin.v1.ModelServiceGrpc;
import dev.maas.proto.admin.v1.Tenant;
import dev.maas.proto.admin.v1.TenantServiceGrpc;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.standalone.demo.DemoBootstrap;
import dev.maas.standalone.demo.DemoCredentials;
import dev.maas.standalone.testing.StandaloneExtension;
import dev.maas.standalone.testing.Tensors;
import io.grpc.Channel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Stopping and starting the standalone platform on the same data directory keeps everything. */
class StandaloneRestartTest {

  @RegisterExtension static final StandaloneExtension platform = new StandaloneExtension();

  @Test
  void restart_keepsTheDemoKeysAndModelsWorking_andTheBootstrapMakesNoDuplicates()
      throws Exception {
    String key = platform.demoKey();
    DemoCredentials credentials = platform.demoCredentials();
    float[] images = Tensors.randomFloats(32 * 32 * 3, 3);
    List<Float> before = lenet(key, images);

    platform.stop();
    platform.start();

    // The keys are kept; the addresses follow this start's ports (ephemeral in this test).
    DemoCredentials expected =
        credentials.at(
            "localhost:" + platform.platform().gatewayPort(),
            "localhost:" + platform.platform().controlPlanePort());
    assertThat(platform.demoCredentials()).isEqualTo(expected);
    assertThat(DemoCredentials.read(platform.dataDir())).contains(expected);
    List<Float> after = lenet(key, images);
    assertThat(after).hasSameSizeAs(before);
    for (int i = 0; i < before.size(); i++) {
      assertThat(after.get(i)).isCloseTo(before.get(i), within(1e-6f));
    }
    assertThat(
            Tensors.output(
                platform.gateway(key).modelInfer(Tensors.affine("affine", "", 1, 2, 3, 4)), "y"))
        .containsExactly(3f, 5f, 7f, 9f);

    Channel admin = platform.admin().channel();
    assertThat(
            TenantServiceGrpc.newBlockingStub(admin)
                .listTenants(ListTenantsRequest.getDefaultInstance())
                .getTenantsList())
        .extracting(Tenant::getName)
        .containsExactly(DemoBootstrap.TENANT);
    assertThat(
            ApiKeyServiceGrpc.newBlockingStub(admin)
                .listApiKeys(
                    ListApiKeysRequest.newBuilder().setTenant(DemoBootstrap.TENANT).build())
                .getKeysList())
        .hasSize(2);
    assertThat(
            ModelServiceGrpc.newBlockingStub(platform.adminAs(credentials.manageKey()))
                .listModels(ListModelsRequest.newBuilder().setTenant(DemoBootstrap.TENANT).build())
                .getModelsCount())
        .as("the manage key still administers the demo tenant")
        .isEqualTo(3);
    List<Model> models =
        ModelServiceGrpc.newBlockingStub(admin)
            .listModels(ListModelsRequest.newBuilder().setTenant(DemoBootstrap.TENANT).build())
            .getModelsList();
    assertThat(models)
        .extracting(Model::getName)
        .containsExactlyInAnyOrder("lenet", "binary_classifier", "affine");
    for (Model model : models) {
      assertThat(
              ModelServiceGrpc.newBlockingStub(admin)
                  .listVersions(
                      ListVersionsRequest.newBuilder()
                          .setTenant(DemoBootstrap.TENANT)
                          .setModel(model.getName())
                          .build())
                  .getVersionsList())
          .as("versions of %s", model.getName())
          .hasSize(1);
    }
  }

  private static List<Float> lenet(String key, float[] images) {
    ModelInferResponse response =
        platform.gateway(key).modelInfer(Tensors.typed("lenet", "images", images, 1, 32, 32, 3));
    return Tensors.output(response, "probabilities");
  }
}
