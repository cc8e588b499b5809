package dev.maas.worker.grpc;

import static dev.maas.worker.grpc.StatusAssertions.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.maas.proto.inference.ModelStatistics;
import dev.maas.proto.inference.ModelStatisticsRequest;
import dev.maas.proto.inference.RepositoryIndexRequest;
import dev.maas.proto.inference.RepositoryIndexResponse;
import dev.maas.proto.inference.RepositoryIndexResponse.ModelIndex;
import dev.maas.worker.testing.WorkerExtension;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** RepositoryIndex and ModelStatistics over the demo models. */
class RepositoryAndStatisticsTest {

  @RegisterExtension static final WorkerExtension worker = WorkerExtension.withDemoModels();

  @Test
  void repositoryIndex_listsVersionOneOfEveryDemoModelAsReady() {
    for (boolean readyOnly : new boolean[] {false, true}) {
      RepositoryIndexResponse index =
          worker
              .blocking()
              .repositoryIndex(RepositoryIndexRequest.newBuilder().setReady(readyOnly).build());

      assertThat(index.getModelsList())
          .as("index with ready=%s", readyOnly)
          .extracting(ModelIndex::getName, ModelIndex::getVersion, ModelIndex::getState)
          .containsExactlyInAnyOrder(
              tuple("affine", "1", "READY"),
              tuple("binary_classifier", "1", "READY"),
              tuple("dtypes", "1", "READY"),
              tuple("lenet", "1", "READY"),
              tuple("strings", "1", "READY"));
    }
  }

  @Test
  void modelStatistics_countSuccessfulRequestsTheirItemsAndExecutions() {
    ModelStatistics before = affineStatistics();
    long[] batchSizes = {1, 2, 3, 1, 2};
    long items = 0;
    for (long rows : batchSizes) {
      worker
          .blocking()
          .modelInfer(
              InferRequests.typedFloats(
                  "affine", "x", new long[] {rows, 4}, new float[(int) rows * 4]));
      items += rows;
    }

    ModelStatistics after = affineStatistics();

    assertThat(after.getName()).isEqualTo("affine");
    assertThat(after.getVersion()).isEqualTo("1");
    assertThat(after.getInferenceCount() - before.getInferenceCount()).isEqualTo(items);
    // Every request runs in exactly one batch, which other requests may share.
    assertThat(after.getExecutionCount() - before.getExecutionCount())
        .isBetween(1L, (long) batchSizes.length);
    assertThat(
            after.getInferenceStats().getSuccess().getCount()
                - before.getInferenceStats().getSuccess().getCount())
        .isEqualTo(batchSizes.length);
    assertThat(after.getInferenceStats().getSuccess().getNs())
        .isGreaterThan(before.getInferenceStats().getSuccess().getNs());
    assertThat(after.getLastInference()).isPositive();
    assertThat(after.getBatchStatsList()).isNotEmpty();
  }

  @Test
  void modelStatistics_countAFailedRequestOnItsVersion() {
    long failedBefore = affineStatistics().getInferenceStats().getFail().getCount();

    assertFailsWith(
        Status.Code.INVALID_ARGUMENT,
        () ->
            worker
                .blocking()
                .modelInfer(
                    InferRequests.typedFloats("affine", "x", new long[] {1, 3}, new float[3])));

    assertThat(affineStatistics().getInferenceStats().getFail().getCount() - failedBefore)
        .isEqualTo(1);
  }

  @Test
  void modelStatistics_withoutName_coverEveryDemoModel() {
    assertThat(
            worker
                .blocking()
                .modelStatistics(ModelStatisticsRequest.getDefaultInstance())
                .getModelStatsList())
        .extracting(ModelStatistics::getName, ModelStatistics::getVersion)
        .containsExactlyInAnyOrder(
            tuple("affine", "1"),
            tuple("binary_classifier", "1"),
            tuple("dtypes", "1"),
            tuple("lenet", "1"),
            tuple("strings", "1"));
  }

  @Test
  void modelStatistics_unknownModel_isNotFoundNamingIt() {
    assertFailsWith(
            Status.Code.NOT_FOUND,
            () ->
                worker
                    .blocking()
                    .modelStatistics(
                        ModelStatisticsRequest.newBuilder().setName("no_such_model").build()))
        .contains("'no_such_model'");
  }

  @Test
  void modelStatistics_versionThatIsNotANumber_isInvalidArgument() {
    assertFailsWith(
            Status.Code.INVALID_ARGUMENT,
            () ->
                worker
                    .blocking()
                    .modelStatistics(
                        ModelStatisticsRequest.newBuilder()
                            .setName("affine")
                            .setVersion("abc")
                            .build()))
        .contains("'abc'");
  }

  private static ModelStatistics affineStatistics() {
    List<ModelStatistics> stats =
        worker
            .blocking()
            .modelStatistics(
                ModelStatisticsRequest.newBuilder().setName("affine").setVersion("1").build())
            .getModelStatsList();
    assertThat(stats).hasSize(1);
    return stats.get(0);
  }
}
