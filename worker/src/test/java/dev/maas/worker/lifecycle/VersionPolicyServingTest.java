package dev.maas.worker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.ModelMetadataRequest;
import dev.maas.proto.inference.RepositoryIndexRequest;
import dev.maas.worker.demo.DemoModels;
import dev.maas.worker.testing.DemoRepository;
import dev.maas.worker.testing.Floats;
import dev.maas.worker.testing.InferenceRequests;
import dev.maas.worker.testing.TestModels;
import dev.maas.worker.testing.WorkerExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The version policy of config.json decides which versions serve, and requests reach each. */
class VersionPolicyServingTest {

  private static final float[] X = {1f, 2f, 3f, 4f};

  @RegisterExtension
  static final WorkerExtension worker =
      WorkerExtension.withRepository(
          repository -> {
            // Version n answers (n + 1) x + 1.
            for (int version = 1; version <= 3; version++) {
              DemoModels.exportAffine(repository.resolve("every/" + version), version + 1f, 1f);
              DemoModels.exportAffine(repository.resolve("chosen/" + version), version + 1f, 1f);
              DemoModels.exportAffine(repository.resolve("newest/" + version), version + 1f, 1f);
            }
            DemoModels.exportAffine(repository.resolve("shrinking/1"), 2f, 1f);
            DemoModels.exportAffine(repository.resolve("shrinking/2"), 3f, 1f);
            TestModels.writeConfig(repository, "shrinking", "{\"version_policy\": {\"all\": {}}}");
            TestModels.writeConfig(repository, "every", "{\"version_policy\": {\"all\": {}}}");
            TestModels.writeConfig(
                repository,
                "chosen",
                "{\"version_policy\": {\"specific\": {\"versions\": [1, 3]}}}");
            TestModels.writeConfig(
                repository, "newest", "{\"version_policy\": {\"latest\": {\"num_versions\": 2}}}");
          });

  @Test
  void allPolicy_servesEveryVersionAndExplicitRequestsReachEach() {
    for (int version = 1; version <= 3; version++) {
      assertAnswers(infer("every", Integer.toString(version)), version);
    }
    assertAnswers(infer("every", ""), 3);
    assertThat(states("every"))
        .containsExactly(tuple("1", "READY"), tuple("2", "READY"), tuple("3", "READY"));
    assertThat(
            worker
                .blocking()
                .modelMetadata(ModelMetadataRequest.newBuilder().setName("every").build())
                .getVersionsList())
        .containsExactly("1", "2", "3");
  }

  @Test
  void specificPolicy_servesOnlyTheListedVersions() {
    assertAnswers(infer("chosen", "1"), 1);
    assertAnswers(infer("chosen", "3"), 3);
    assertAnswers(infer("chosen", ""), 3);

    StatusRuntimeException unlisted =
        catchThrowableOfType(StatusRuntimeException.class, () -> infer("chosen", "2"));

    assertThat(unlisted.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(states("chosen")).containsExactly(tuple("1", "READY"), tuple("3", "READY"));
  }

  @Test
  void latestPolicy_servesTheHighestVersions() {
    assertAnswers(infer("newest", "2"), 2);
    assertAnswers(infer("newest", ""), 3);

    StatusRuntimeException old =
        catchThrowableOfType(StatusRuntimeException.class, () -> infer("newest", "1"));

    assertThat(old.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(states("newest")).containsExactly(tuple("2", "READY"), tuple("3", "READY"));
  }

  @Test
  void removedVersionDirectory_isUnloadedWhileTheOthersServe() {
    assertAnswers(infer("shrinking", "1"), 1);

    DemoRepository.deleteTree(worker.repository().resolve("shrinking/1"));
    worker.reconcile();

    StatusRuntimeException removed =
        catchThrowableOfType(StatusRuntimeException.class, () -> infer("shrinking", "1"));
    assertThat(removed.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertAnswers(infer("shrinking", "2"), 2);
    assertThat(states("shrinking")).containsExactly(tuple("2", "READY"));
  }

  @Test
  void unknownVersion_isNotFound() {
    StatusRuntimeException failure =
        catchThrowableOfType(StatusRuntimeException.class, () -> infer("every", "7"));

    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(failure.getStatus().getDescription()).contains("version 7");
  }

  private static List<Tuple> states(String model) {
    return worker
        .blocking()
        .repositoryIndex(RepositoryIndexRequest.getDefaultInstance())
        .getModelsList()
        .stream()
        .filter(entry -> entry.getName().equals(model))
        .map(entry -> tuple(entry.getVersion(), entry.getState()))
        .toList();
  }

  private static ModelInferResponse infer(String model, String version) {
    return worker
        .blocking()
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .modelInfer(InferenceRequests.floats(model, version, new long[] {1, 4}, X));
  }

  private static void assertAnswers(ModelInferResponse response, int version) {
    assertThat(response.getModelVersion()).isEqualTo(Integer.toString(version));
    assertThat(InferenceRequests.outputFloats(response))
        .containsExactly(Floats.affine(X, version + 1f, 1f));
  }
}
