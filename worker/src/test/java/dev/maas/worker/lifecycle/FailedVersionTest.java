package dev.maas.worker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.RepositoryIndexRequest;
import dev.maas.proto.inference.RepositoryIndexResponse.ModelIndex;
import dev.maas.worker.demo.DemoModels;
import dev.maas.worker.testing.DemoRepository;
import dev.maas.worker.testing.Floats;
import dev.maas.worker.testing.InferenceRequests;
import dev.maas.worker.testing.TestModels;
import dev.maas.worker.testing.WorkerExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versions that fail to load are reported with their reason and never replace what serves; their
 * files are retried when they change; a model that leaves the repository is unloaded.
 */
class FailedVersionTest {

  private static final float[] X = {1f, 2f, 3f, 4f};

  @RegisterExtension
  static final WorkerExtension worker =
      WorkerExtension.withRepository(
          repository -> {
            DemoModels.exportAffine(repository.resolve("guarded/2"), 3f, 1f);
            TestModels.writeCorrupt(repository.resolve("broken/1"));
            DemoModels.exportAffine(repository.resolve("leaving/1"), 2f, 1f);
            DemoModels.exportAffine(repository.resolve("reloaded/1"), 2f, 1f);
            DemoModels.exportAffine(repository.resolve("restored/1"), 2f, 1f);
            // Loads (the graph is fine) but cannot run: its variables are missing.
            DemoModels.exportAffine(repository.resolve("unwarmed/1"), 2f, 1f);
            DemoRepository.deleteTree(repository.resolve("unwarmed/1/variables"));
            TestModels.writeConfig(repository, "unwarmed", "{\"warmup\": {\"batch_sizes\": []}}");
          });

  @TempDir Path scratch;

  @Test
  void corruptNewVersion_isReportedWhileThePreviousKeepsServing_andLoadsOnceRepaired() {
    Path three = worker.repository().resolve("guarded/3");
    TestModels.writeCorrupt(three);
    worker.reconcile();

    ModelVersion failed = registry().model("guarded").orElseThrow().version(3).orElseThrow();
    assertThat(failed.state()).isEqualTo(VersionState.UNAVAILABLE);
    assertThat(failed.reason()).contains("cannot load");
    assertThat(index("guarded"))
        .extracting(ModelIndex::getVersion, ModelIndex::getState, ModelIndex::getReason)
        .containsExactly(tuple("2", "READY", ""), tuple("3", "UNAVAILABLE", failed.reason()));
    assertAnswers(infer("guarded", ""), "2", 3f);
    StatusRuntimeException pinned =
        catchThrowableOfType(StatusRuntimeException.class, () -> infer("guarded", "3"));
    assertThat(pinned.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(pinned.getStatus().getDescription()).contains(failed.reason());

    TestModels.repairAsAffine(three, 4f, 1f, scratch);
    worker.reconcile();

    assertThat(registry().model("guarded").orElseThrow().version(3).orElseThrow().state())
        .isEqualTo(VersionState.READY);
    assertAnswers(infer("guarded", ""), "3", 4f);
    assertThat(index("guarded"))
        .extracting(ModelIndex::getVersion, ModelIndex::getState)
        .containsExactly(tuple("3", "READY"));
  }

  @Test
  void failedReloadOfAServingVersion_keepsTheOldLoadServing_untilTheFilesAreFixed()
      throws IOException {
    Path one = worker.repository().resolve("reloaded/1");
    Files.writeString(one.resolve("saved_model.pb"), "garbage over a serving version");
    worker.reconcile();

    assertAnswers(infer("reloaded", ""), "1", 2f);
    assertThat(index("reloaded"))
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.getState()).isEqualTo("READY");
              assertThat(entry.getReason()).contains("reload failed", "cannot load");
            });

    TestModels.repairAsAffine(one, 5f, 1f, scratch);
    worker.reconcile();

    assertAnswers(infer("reloaded", ""), "1", 5f);
    assertThat(index("reloaded"))
        .extracting(ModelIndex::getState, ModelIndex::getReason)
        .containsExactly(tuple("READY", ""));
  }

  @Test
  void filesRestoredToTheServingLoad_clearTheReloadFailure() throws IOException {
    Path model = worker.repository().resolve("restored/1/saved_model.pb");
    byte[] original = Files.readAllBytes(model);
    FileTime originalTime = Files.getLastModifiedTime(model);
    Files.writeString(model, "garbage over a serving version");
    worker.reconcile();
    assertThat(index("restored").get(0).getReason()).contains("reload failed");

    // Restored in place as cp -p would: the same bytes and modification time.
    Files.write(model, original);
    Files.setLastModifiedTime(model, originalTime);
    worker.reconcile();

    assertAnswers(infer("restored", ""), "1", 2f);
    assertThat(index("restored"))
        .extracting(ModelIndex::getState, ModelIndex::getReason)
        .containsExactly(tuple("READY", ""));
  }

  @Test
  void modelWhoseOnlyVersionFailed_answersUnavailableWithTheReason() {
    String reason = registry().model("broken").orElseThrow().version(1).orElseThrow().reason();

    StatusRuntimeException failure =
        catchThrowableOfType(StatusRuntimeException.class, () -> infer("broken", ""));

    assertThat(reason).isNotBlank();
    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(failure.getStatus().getDescription())
        .contains("broken")
        .contains("UNAVAILABLE")
        .contains(reason);
    assertThat(index("broken"))
        .extracting(ModelIndex::getVersion, ModelIndex::getState, ModelIndex::getReason)
        .containsExactly(tuple("1", "UNAVAILABLE", reason));
  }

  @Test
  void versionThatCannotRun_isFailedEvenWithWarmupOff_andItsModelNotServing() {
    ModelVersion version = registry().model("unwarmed").orElseThrow().version(1).orElseThrow();

    assertThat(version.state()).isEqualTo(VersionState.UNAVAILABLE);
    assertThat(version.reason()).contains("uninitialized value");
    assertThat(index("unwarmed"))
        .extracting(ModelIndex::getVersion, ModelIndex::getState, ModelIndex::getReason)
        .containsExactly(tuple("1", "UNAVAILABLE", version.reason()));
    assertThat(
            HealthGrpc.newBlockingStub(worker.channel())
                .check(HealthCheckRequest.newBuilder().setService("unwarmed").build())
                .getStatus())
        .isEqualTo(ServingStatus.NOT_SERVING);
    StatusRuntimeException failure =
        catchThrowableOfType(StatusRuntimeException.class, () -> infer("unwarmed", ""));
    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(failure.getStatus().getDescription()).contains(version.reason());
  }

  @Test
  void modelRemovedFromTheRepository_isUnloadedAndThenNotFound() {
    assertAnswers(infer("leaving", ""), "1", 2f);
    ModelVersion loaded = registry().model("leaving").orElseThrow().version(1).orElseThrow();

    DemoRepository.deleteTree(worker.repository().resolve("leaving"));
    worker.reconcile();

    StatusRuntimeException failure =
        catchThrowableOfType(StatusRuntimeException.class, () -> infer("leaving", ""));
    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(registry().model("leaving")).isEmpty();
    assertThat(loaded.state()).isEqualTo(VersionState.UNLOADING);
    assertThat(index("leaving")).isEmpty();
  }

  private static ModelRegistry registry() {
    return worker.worker().registry();
  }

  private static List<ModelIndex> index(String model) {
    return worker
        .blocking()
        .repositoryIndex(RepositoryIndexRequest.getDefaultInstance())
        .getModelsList()
        .stream()
        .filter(entry -> entry.getName().equals(model))
        .toList();
  }

  private static ModelInferResponse infer(String model, String version) {
    ModelInferRequest request = InferenceRequests.floats(model, version, new long[] {1, 4}, X);
    GRPCInferenceServiceBlockingStub stub =
        worker.blocking().withDeadlineAfter(30, TimeUnit.SECONDS);
    return stub.modelInfer(request);
  }

  private static void assertAnswers(ModelInferResponse response, String version, float scale) {
    assertThat(response.getModelVersion()).isEqualTo(version);
    assertThat(InferenceRequests.outputFloats(response))
        .containsExactly(Floats.affine(X, scale, 1f));
  }
}
