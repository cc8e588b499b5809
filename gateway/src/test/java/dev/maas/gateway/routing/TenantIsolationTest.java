package dev.maas.gateway.routing;

import static dev.maas.gateway.testing.Snapshots.keyText;
import static dev.maas.gateway.testing.Snapshots.version;
import static dev.maas.gateway.testing.StatusAssertions.failure;
import static dev.maas.gateway.testing.TestCluster.infer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.maas.gateway.testing.Snapshots;
import dev.maas.gateway.testing.TestCluster;
import dev.maas.gateway.testing.TestWorker;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.ModelMetadataRequest;
import dev.maas.proto.inference.ModelReadyRequest;
import dev.maas.proto.inference.RepositoryIndexRequest;
import dev.maas.proto.inference.RepositoryIndexResponse.ModelIndex;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Model names resolve only inside the caller's tenant. */
class TenantIsolationTest {

  private TestCluster cluster;
  private TestWorker workerA;
  private TestWorker workerB;
  private GRPCInferenceServiceBlockingStub alice;
  private GRPCInferenceServiceBlockingStub bob;

  @BeforeEach
  void start() throws Exception {
    cluster = TestCluster.start();
    workerA = cluster.worker("wa");
    workerB = cluster.worker("wb");
    cluster.startGateway();
    cluster.publish(
        Snapshots.builder()
            .tenant("a")
            .tenant("b")
            .key("alice", "a")
            .key("bob", "b")
            .model("a", "shared", 1, version(1, "m1-v1", workerA))
            .model("a", "private", 1, version(1, "m2-v1", workerA))
            .model("b", "shared", 1, version(1, "m3-v1", workerB)));
    alice = cluster.client(keyText("alice"));
    bob = cluster.client(keyText("bob"));
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  @Test
  void sameModelName_inTwoTenants_reachesEachTenantsOwnModel() {
    ModelInferResponse a = alice.modelInfer(infer("shared"));
    ModelInferResponse b = bob.modelInfer(infer("shared"));

    assertThat(a.getParametersOrThrow("model_id").getStringParam()).isEqualTo("m1-v1");
    assertThat(a.getParametersOrThrow("worker").getStringParam()).isEqualTo("wa");
    assertThat(b.getParametersOrThrow("model_id").getStringParam()).isEqualTo("m3-v1");
    assertThat(b.getParametersOrThrow("worker").getStringParam()).isEqualTo("wb");
    assertThat(a.getModelName()).isEqualTo(b.getModelName()).isEqualTo("shared");
  }

  @Test
  void anotherTenantsModel_isNotFound_exactlyLikeAMissingOne() {
    Status others =
        failure(Status.Code.NOT_FOUND, () -> bob.modelInfer(infer("private"))).getStatus();
    Status missing =
        failure(Status.Code.NOT_FOUND, () -> alice.modelInfer(infer("private2"))).getStatus();

    assertThat(others.getDescription()).isEqualTo("model private not found");
    assertThat(missing.getDescription()).isEqualTo("model private2 not found");
    assertThat(workerA.calls()).isZero();
  }

  @Test
  void anotherTenantsModel_withAVersion_isNotFound_likeAMissingOne() {
    assertThat(
            failure(Status.Code.NOT_FOUND, () -> bob.modelInfer(infer("private", "1")))
                .getStatus()
                .getDescription())
        .isEqualTo("model private not found");
  }

  @Test
  void internalModelId_usedAsAName_isNotFound() {
    StatusRuntimeException internal =
        failure(Status.Code.NOT_FOUND, () -> bob.modelInfer(infer("m1-v1")));
    StatusRuntimeException own =
        failure(Status.Code.NOT_FOUND, () -> alice.modelInfer(infer("m1-v1")));

    assertThat(internal.getStatus().getDescription())
        .isEqualTo(own.getStatus().getDescription())
        .isEqualTo("model m1-v1 not found");
  }

  @Test
  void metadataAndReadiness_ofAnotherTenantsModel_readAsMissing() {
    assertThat(
            failure(
                    Status.Code.NOT_FOUND,
                    () ->
                        bob.modelMetadata(
                            ModelMetadataRequest.newBuilder().setName("private").build()))
                .getStatus()
                .getDescription())
        .isEqualTo("model private not found");
    assertThat(bob.modelReady(ModelReadyRequest.newBuilder().setName("private").build()).getReady())
        .isFalse();
    assertThat(
            alice.modelReady(ModelReadyRequest.newBuilder().setName("private").build()).getReady())
        .isTrue();
    assertThat(
            alice
                .modelMetadata(ModelMetadataRequest.newBuilder().setName("private").build())
                .getPlatform())
        .isEqualTo("test:m2-v1");
  }

  @Test
  void repositoryIndex_listsOnlyTheCallersModels() {
    assertThat(alice.repositoryIndex(RepositoryIndexRequest.getDefaultInstance()).getModelsList())
        .extracting(ModelIndex::getName, ModelIndex::getVersion, ModelIndex::getState)
        .containsExactly(tuple("private", "1", "READY"), tuple("shared", "1", "READY"));
    assertThat(bob.repositoryIndex(RepositoryIndexRequest.getDefaultInstance()).getModelsList())
        .extracting(ModelIndex::getName)
        .containsExactly("shared");
  }
}
