package dev.maas.gateway.routing;

import static dev.maas.gateway.testing.Snapshots.keyText;
import static dev.maas.gateway.testing.Snapshots.version;
import static dev.maas.gateway.testing.StatusAssertions.assertFailsWith;
import static dev.maas.gateway.testing.TestCluster.infer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.maas.gateway.testing.Snapshots;
import dev.maas.gateway.testing.TestCluster;
import dev.maas.gateway.testing.TestWorker;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retries on another replica, ejection of failing replicas and their return. */
class RetryAndEjectionTest {

  private TestCluster cluster;
  private TestWorker broken;
  private TestWorker healthy;

  @BeforeEach
  void start() throws Exception {
    cluster = TestCluster.start();
    broken = cluster.worker("broken");
    healthy = cluster.worker("healthy");
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  private GRPCInferenceServiceBlockingStub gatewayWith(EjectionPolicy ejection) throws Exception {
    cluster.startGateway(options -> options.withEjection(ejection));
    cluster.publish(
        Snapshots.builder()
            .tenant("acme")
            .key("k", "acme")
            .model("acme", "m", 1, version(1, "m-v1", broken, healthy)));
    return cluster.client(keyText("k"));
  }

  @Test
  void unavailableReplica_isRetriedOnAnother_andEveryCallSucceeds() throws Exception {
    GRPCInferenceServiceBlockingStub client = gatewayWith(neverEject());
    broken.failWith(Status.UNAVAILABLE.withDescription("queue full"));

    for (int i = 0; i < 20; i++) {
      assertThat(client.modelInfer(infer("m")).getParametersOrThrow("worker").getStringParam())
          .isEqualTo("healthy");
    }
    assertThat(healthy.calls()).isEqualTo(20);
    assertThat(cluster.gateway().metrics().registry().counter("maas.gateway.retries").count())
        .isPositive();
  }

  @Test
  void stoppedReplica_connectionFailure_isRetriedOnAnother() throws Exception {
    GRPCInferenceServiceBlockingStub client = gatewayWith(neverEject());
    broken.close();

    for (int i = 0; i < 10; i++) {
      assertThat(client.modelInfer(infer("m")).getModelName()).isEqualTo("m");
    }
    assertThat(healthy.calls()).isEqualTo(10);
  }

  @Test
  void allReplicasDown_isUnavailable_withAMessage() throws Exception {
    GRPCInferenceServiceBlockingStub client = gatewayWith(neverEject());
    broken.failWith(Status.UNAVAILABLE);
    healthy.close();

    assertFailsWith(Status.Code.UNAVAILABLE, () -> client.modelInfer(infer("m")))
        .isEqualTo("model m has no serving replica that answered (3 attempts)");
  }

  @Test
  void workersOwnError_isPassedThrough_withoutRetry() throws Exception {
    GRPCInferenceServiceBlockingStub client = gatewayWith(neverEject());
    broken.failWith(Status.INVALID_ARGUMENT.withDescription("input x: expected FP32"));
    healthy.failWith(Status.INVALID_ARGUMENT.withDescription("input x: expected FP32"));

    assertFailsWith(Status.Code.INVALID_ARGUMENT, () -> client.modelInfer(infer("m")))
        .isEqualTo("input x: expected FP32");
    assertThat(cluster.gateway().metrics().registry().counter("maas.gateway.retries").count())
        .isZero();
  }

  @Test
  void failingReplica_isEjected_thenProbedBack() throws Exception {
    GRPCInferenceServiceBlockingStub client =
        gatewayWith(new EjectionPolicy(2, Duration.ofMillis(500), Duration.ofSeconds(1)));
    broken.failWith(Status.UNAVAILABLE);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              client.modelInfer(infer("m"));
              return cluster.gateway().metrics().registry().find("maas.gateway.ejections").counter()
                  != null;
            });

    broken.failWith(null);
    // Once the ejection is over, calls probe the replica again and it serves.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              client.modelInfer(infer("m"));
              return broken.calls() > 0;
            });
    assertThat(broken.calls()).isPositive();
  }

  private static EjectionPolicy neverEject() {
    return new EjectionPolicy(Integer.MAX_VALUE, Duration.ofSeconds(1), Duration.ofSeconds(1));
  }
}
