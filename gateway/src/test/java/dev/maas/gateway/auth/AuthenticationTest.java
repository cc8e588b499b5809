package dev.maas.gateway.auth;

import static dev.maas.gateway.testing.Snapshots.keyText;
import static dev.maas.gateway.testing.Snapshots.version;
import static dev.maas.gateway.testing.StatusAssertions.assertFailsWith;
import static dev.maas.gateway.testing.StatusAssertions.failure;
import static dev.maas.gateway.testing.TestCluster.infer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.maas.gateway.testing.Snapshots;
import dev.maas.gateway.testing.TestCluster;
import dev.maas.gateway.testing.TestWorker;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.ServerLiveRequest;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The auth matrix: which keys pass, and which status the others get. */
class AuthenticationTest {

  private TestCluster cluster;
  private TestWorker worker;

  @BeforeEach
  void start() throws Exception {
    cluster = TestCluster.start();
    worker = cluster.worker("w1");
    cluster.startGateway();
    cluster.publish(snapshot().key("good", "acme"));
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  private Snapshots snapshot() {
    return Snapshots.builder()
        .tenant("acme")
        .tenant("frozen", false, Snapshots.unlimited())
        .key("noinfer", "acme", false, null)
        .key("expired", "acme", true, Instant.now().minusSeconds(60))
        .key("later", "acme", true, Instant.now().plusSeconds(3600))
        .key("suspended", "frozen")
        .model("acme", "affine", 1, version(1, "m1-v1", worker));
  }

  @Test
  void validKey_asBearerOrApiKeyHeader_reachesTheModel() {
    assertThat(cluster.client(keyText("good")).modelInfer(infer("affine")).getModelName())
        .isEqualTo("affine");
    assertThat(
            cluster
                .clientWithApiKeyHeader(keyText("later"))
                .modelInfer(infer("affine"))
                .getModelName())
        .isEqualTo("affine");
    assertThat(worker.calls()).isEqualTo(2);
  }

  @Test
  void missingKey_isUnauthenticated() {
    assertFailsWith(
            Status.Code.UNAUTHENTICATED,
            () ->
                GRPCInferenceServiceGrpc.newBlockingStub(cluster.channel())
                    .modelInfer(infer("affine")))
        .contains("missing API key");
  }

  @Test
  void malformedKeys_areUnauthenticated() {
    assertFailsWith(
            Status.Code.UNAUTHENTICATED,
            () -> cluster.client("not-a-key").modelInfer(infer("affine")))
        .isEqualTo("malformed API key");
    assertFailsWith(
            Status.Code.UNAUTHENTICATED,
            () ->
                cluster
                    .clientWithAuthorization("Basic " + keyText("good"))
                    .modelInfer(infer("affine")))
        .isEqualTo("malformed API key");
    assertThat(worker.calls()).isZero();
  }

  @Test
  void unknownKeyAndWrongSecret_areUnauthenticatedAlike() {
    String unknown =
        failure(
                Status.Code.UNAUTHENTICATED,
                () -> cluster.client(keyText("nosuchkey")).modelInfer(infer("affine")))
            .getStatus()
            .getDescription();
    String wrongSecret =
        failure(
                Status.Code.UNAUTHENTICATED,
                () -> cluster.client("mk_good_wrong-secret").modelInfer(infer("affine")))
            .getStatus()
            .getDescription();
    assertThat(unknown).isEqualTo(wrongSecret).isEqualTo("invalid API key");
  }

  @Test
  void revokedKey_absentFromTheNextSnapshot_isUnauthenticated() {
    assertThat(cluster.client(keyText("good")).modelInfer(infer("affine")).getModelName())
        .isEqualTo("affine");

    cluster.publish(snapshot());

    assertFailsWith(
            Status.Code.UNAUTHENTICATED,
            () -> cluster.client(keyText("good")).modelInfer(infer("affine")))
        .isEqualTo("invalid API key");
  }

  @Test
  void expiredKey_isUnauthenticated() {
    assertFailsWith(
            Status.Code.UNAUTHENTICATED,
            () -> cluster.client(keyText("expired")).modelInfer(infer("affine")))
        .isEqualTo("API key has expired");
  }

  @Test
  void keyWithoutInferScope_isPermissionDenied() {
    assertFailsWith(
            Status.Code.PERMISSION_DENIED,
            () -> cluster.client(keyText("noinfer")).modelInfer(infer("affine")))
        .contains("infer");
  }

  @Test
  void keyOfSuspendedTenant_isPermissionDenied() {
    assertFailsWith(
            Status.Code.PERMISSION_DENIED,
            () -> cluster.client(keyText("suspended")).modelInfer(infer("affine")))
        .isEqualTo("tenant is suspended");
    assertThat(worker.calls()).isZero();
  }

  @Test
  void healthAndServerLive_needNoKey() {
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(cluster.channel());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> health.check(HealthCheckRequest.getDefaultInstance()).getStatus(),
            status -> status == ServingStatus.SERVING);
    assertThat(
            GRPCInferenceServiceGrpc.newBlockingStub(cluster.channel())
                .serverLive(ServerLiveRequest.getDefaultInstance())
                .getLive())
        .isTrue();
  }
}
