package dev.maas.worker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.worker.demo.DemoModels;
import dev.maas.worker.testing.DemoRepository;
import dev.maas.worker.testing.TestModels;
import dev.maas.worker.testing.WorkerExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** grpc.health.v1 answers per model: SERVING while a version is ready. */
class ModelHealthTest {

  @RegisterExtension
  static final WorkerExtension worker =
      WorkerExtension.withRepository(
          repository -> {
            DemoModels.exportAffine(repository.resolve("steady/1"), 2f, 1f);
            TestModels.writeCorrupt(repository.resolve("recovering/1"));
            DemoModels.exportAffine(repository.resolve("removed/1"), 2f, 1f);
          });

  @TempDir Path scratch;

  @Test
  void serverAndInferenceServiceAreServingOnceTheRepositoryIsLoaded() {
    assertThat(check("")).isEqualTo(ServingStatus.SERVING);
    assertThat(check(GRPCInferenceServiceGrpc.SERVICE_NAME)).isEqualTo(ServingStatus.SERVING);
    assertThat(check("steady")).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void modelWhoseOnlyVersionFailed_isNotServingUntilItLoads() {
    assertThat(check("recovering")).isEqualTo(ServingStatus.NOT_SERVING);

    TestModels.repairAsAffine(worker.repository().resolve("recovering/1"), 2f, 1f, scratch);
    worker.reconcile();

    assertThat(check("recovering")).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void removedModel_isUnknownToHealth() {
    assertThat(check("removed")).isEqualTo(ServingStatus.SERVING);

    DemoRepository.deleteTree(worker.repository().resolve("removed"));
    worker.reconcile();

    StatusRuntimeException unknown =
        catchThrowableOfType(StatusRuntimeException.class, () -> check("removed"));
    assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void modelNeverInTheRepository_isUnknownToHealth() {
    StatusRuntimeException unknown =
        catchThrowableOfType(StatusRuntimeException.class, () -> check("absent"));

    assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  private static ServingStatus check(String service) {
    return HealthGrpc.newBlockingStub(worker.channel())
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build())
        .getStatus();
  }
}
