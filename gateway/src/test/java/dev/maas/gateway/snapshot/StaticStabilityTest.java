package dev.maas.gateway.snapshot;

import static dev.maas.gateway.testing.Snapshots.keyText;
import static dev.maas.gateway.testing.Snapshots.version;
import static dev.maas.gateway.testing.StatusAssertions.assertFailsWith;
import static dev.maas.gateway.testing.TestCluster.infer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.maas.gateway.testing.Snapshots;
import dev.maas.gateway.testing.TestCluster;
import dev.maas.gateway.testing.TestWorker;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.ServerReadyRequest;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway serves from its last snapshot while the control plane is away. */
class StaticStabilityTest {

  private TestCluster cluster;
  private TestWorker worker;

  @BeforeEach
  void start() throws Exception {
    cluster = TestCluster.start();
    worker = cluster.worker("w1");
    cluster.startGateway();
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  private Snapshots snapshot(String key) {
    return Snapshots.builder()
        .tenant("acme")
        .key(key, "acme")
        .model("acme", "m", 1, version(1, "m-v1", worker));
  }

  @Test
  void freshGateway_withoutASnapshot_isNotServing_andAnswersUnavailable() {
    assertThat(health()).isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(
            GRPCInferenceServiceGrpc.newBlockingStub(cluster.channel())
                .serverReady(ServerReadyRequest.getDefaultInstance())
                .getReady())
        .isFalse();
    assertFailsWith(
            Status.Code.UNAVAILABLE, () -> cluster.client(keyText("k")).modelInfer(infer("m")))
        .contains("no routing snapshot");
  }

  @Test
  void controlPlaneGone_gatewayKeepsServingFromTheLastSnapshot() throws Exception {
    cluster.publish(snapshot("k"));
    await().atMost(Duration.ofSeconds(5)).until(() -> health() == ServingStatus.SERVING);

    cluster.controlPlane().close();

    for (int i = 0; i < 5; i++) {
      assertThat(cluster.client(keyText("k")).modelInfer(infer("m")).getModelName()).isEqualTo("m");
    }
    assertThat(health()).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void droppedStream_isReconnected_andLaterSnapshotsApply() {
    cluster.publish(snapshot("k"));
    int watches = cluster.controlPlane().watchCalls();

    cluster.controlPlane().dropWatchers();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> cluster.controlPlane().watchCalls() > watches);
    cluster.publish(snapshot("k2"));

    assertThat(cluster.client(keyText("k2")).modelInfer(infer("m")).getModelName()).isEqualTo("m");
    assertFailsWith(
        Status.Code.UNAUTHENTICATED, () -> cluster.client(keyText("k")).modelInfer(infer("m")));
  }

  private ServingStatus health() {
    return HealthGrpc.newBlockingStub(cluster.channel())
        .check(HealthCheckRequest.getDefaultInstance())
        .getStatus();
  }
}
