package dev.maas.worker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.RepositoryIndexRequest;
import dev.maas.proto.inference.RepositoryIndexResponse.ModelIndex;
import dev.maas.worker.batching.BatchingConfig;
import dev.maas.worker.demo.DemoModels;
import dev.maas.worker.testing.Floats;
import dev.maas.worker.testing.InferenceRequests;
import dev.maas.worker.testing.TestModels;
import dev.maas.worker.testing.WorkerExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What config.json does to serving: its problems are shown, never crash the worker. */
class ModelConfigServingTest {

  private static final float[] X = {1f, 2f, 3f, 4f};

  @RegisterExtension
  static final WorkerExtension worker =
      WorkerExtension.withRepository(
          repository -> {
            DemoModels.exportAffine(repository.resolve("typo/1"), 2f, 1f);
            TestModels.writeConfig(repository, "typo", "{\"max_batch\": 8}");
            DemoModels.exportAffine(repository.resolve("negative/1"), 2f, 1f);
            TestModels.writeConfig(repository, "negative", "{\"max_batch_size\": -1}");
            TestModels.exportUnbatchable(repository.resolve("fixed/1"));
            TestModels.writeConfig(repository, "fixed", "{\"max_batch_size\": 8}");
            TestModels.exportUnbatchable(repository.resolve("fixed-default/1"));
            DemoModels.exportAffine(repository.resolve("unsigned/1"), 2f, 1f);
            TestModels.writeConfig(repository, "unsigned", "{\"signature_name\": \"predict\"}");
            DemoModels.exportAffine(repository.resolve("reconfigured/1"), 2f, 1f);
            DemoModels.exportAffine(repository.resolve("tuned/1"), 2f, 1f);
            TestModels.writeConfig(
                repository,
                "tuned",
                "{\"max_batch_size\": 6, \"instance_count\": 2, \"dynamic_batching\":"
                    + " {\"max_queue_delay_microseconds\": 300, \"preferred_batch_size\": [3],"
                    + " \"max_queue_size\": 7}, \"warmup\": {\"batch_sizes\": [2]}}");
          });

  @Test
  void invalidConfig_isShownInTheIndexAndTheModelAnswersUnavailable() {
    assertThat(index("typo"))
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.getState()).isEqualTo("UNAVAILABLE");
              assertThat(entry.getReason()).contains("unknown field 'max_batch'");
            });

    StatusRuntimeException failure =
        catchThrowableOfType(StatusRuntimeException.class, () -> infer("typo", new long[] {1, 4}));

    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(failure.getStatus().getDescription()).contains("max_batch");
    assertThat(worker.worker().isReady()).isTrue();
  }

  @Test
  void negativeMaxBatchSize_keepsTheModelFromServingAndSaysWhy() {
    assertThat(index("negative"))
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.getState()).isEqualTo("UNAVAILABLE");
              assertThat(entry.getReason()).contains("max_batch_size");
            });
  }

  @Test
  void maxBatchSizeOnASignatureThatCannotBatch_failsTheLoadWithTheReason() {
    assertThat(index("fixed"))
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.getState()).isEqualTo("UNAVAILABLE");
              assertThat(entry.getReason()).contains("max_batch_size is 8", "cannot batch");
            });
  }

  @Test
  void signatureNameMissingFromTheModel_failsTheLoadNamingTheSignatures() {
    assertThat(index("unsigned"))
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.getState()).isEqualTo("UNAVAILABLE");
              assertThat(entry.getReason()).contains("'predict'", "serving_default");
            });
  }

  @Test
  void signatureThatCannotBatch_servesUnbatchedWithoutConfig() {
    ModelInferResponse response = infer("fixed-default", new long[] {4});

    assertThat(InferenceRequests.outputFloats(response)).containsExactly(Floats.affine(X, 2f, 1f));
    assertThat(version("fixed-default").batching().batching()).isFalse();
  }

  @Test
  void configuredBatchingReachesTheLoadedVersion() {
    infer("tuned", new long[] {1, 4});

    assertThat(version("tuned").batching()).isEqualTo(new BatchingConfig(6, 300, List.of(3), 7, 2));
  }

  @Test
  void configTurningInvalid_keepsTheServingVersionUntilItIsFixed() {
    assertThat(version("reconfigured").batching().maxBatchSize()).isEqualTo(32);

    TestModels.writeConfig(
        worker.repository(), "reconfigured", "{\"dynamic_batching\": {\"delay\": 5}}");
    worker.reconcile();

    assertThat(InferenceRequests.outputFloats(infer("reconfigured", new long[] {1, 4})))
        .containsExactly(Floats.affine(X, 2f, 1f));
    assertThat(index("reconfigured"))
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.getState()).isEqualTo("READY");
              assertThat(entry.getReason()).contains("unknown field 'delay'");
            });

    TestModels.writeConfig(worker.repository(), "reconfigured", "{\"max_batch_size\": 4}");
    worker.reconcile();

    assertThat(version("reconfigured").batching().maxBatchSize()).isEqualTo(4);
    assertThat(index("reconfigured"))
        .extracting(ModelIndex::getState, ModelIndex::getReason)
        .containsExactly(tuple("READY", ""));
  }

  private static ModelVersion version(String model) {
    return worker.worker().registry().model(model).orElseThrow().version(1).orElseThrow();
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

  private static ModelInferResponse infer(String model, long[] shape) {
    return worker
        .blocking()
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .modelInfer(InferenceRequests.floats(model, shape, X));
  }
}
