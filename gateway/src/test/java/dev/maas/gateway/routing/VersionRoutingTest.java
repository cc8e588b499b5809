package dev.maas.gateway.routing;

import static dev.maas.gateway.testing.Snapshots.keyText;
import static dev.maas.gateway.testing.Snapshots.version;
import static dev.maas.gateway.testing.StatusAssertions.assertFailsWith;
import static dev.maas.gateway.testing.TestCluster.infer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.gateway.testing.Snapshots;
import dev.maas.gateway.testing.TestCluster;
import dev.maas.gateway.testing.TestWorker;
import dev.maas.proto.cluster.v1.RoutedModel;
import dev.maas.proto.cluster.v1.RoutedVersion;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import io.grpc.Status;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Explicit version, default version and traffic split, end to end. */
class VersionRoutingTest {

  private TestCluster cluster;
  private GRPCInferenceServiceBlockingStub client;

  @BeforeEach
  void start() throws Exception {
    cluster = TestCluster.start();
    TestWorker worker = cluster.worker("w1");
    cluster.startGateway();
    cluster.publish(
        Snapshots.builder()
            .tenant("acme")
            .key("k", "acme")
            .model("acme", "plain", 2, version(1, "p-v1", worker), version(2, "p-v2", worker))
            .model(
                RoutedModel.newBuilder()
                    .setTenant("acme")
                    .setName("canary")
                    .setDefaultVersion(1)
                    .putSplit(1, 80)
                    .putSplit(2, 20)
                    .addVersions(version(1, "c-v1", worker))
                    .addVersions(version(2, "c-v2", worker)))
            .model(
                "acme",
                "idle",
                1,
                RoutedVersion.newBuilder().setVersion(1).setModelId("i-v1").build())
            .model("acme", "undeployed", 3));
    client = cluster.client(keyText("k"));
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  @Test
  void explicitVersion_runsThatVersion() {
    assertThat(modelId(client, "plain", "1")).isEqualTo("p-v1");
    assertThat(modelId(client, "plain", "2")).isEqualTo("p-v2");
  }

  @Test
  void noVersion_runsTheDefault_andTellsTheWorkerWhichVersionItChose() {
    assertThat(modelId(client, "plain", "")).isEqualTo("p-v2");
    assertThat(
            client
                .modelInfer(infer("plain"))
                .getParametersOrThrow("routed_version")
                .getStringParam())
        .isEqualTo("2");
  }

  @Test
  void noVersion_withASplit_followsThePercentages() {
    Map<String, Integer> counts = new HashMap<>();
    int calls = 1000;
    for (int i = 0; i < calls; i++) {
      counts.merge(modelId(client, "canary", ""), 1, Integer::sum);
    }
    // 20 % of 1000: the standard deviation is about 13 calls, so ±60 is over 4.5 sigma.
    assertThat(counts.get("c-v2")).isBetween(140, 260);
    assertThat(counts.get("c-v1") + counts.get("c-v2")).isEqualTo(calls);
  }

  @Test
  void unknownVersion_isNotFound_andABadLabelInvalid() {
    assertFailsWith(Status.Code.NOT_FOUND, () -> client.modelInfer(infer("plain", "7")))
        .isEqualTo("model plain version 7 not found");
    assertFailsWith(Status.Code.INVALID_ARGUMENT, () -> client.modelInfer(infer("plain", "latest")))
        .contains("positive integer");
  }

  @Test
  void versionWithoutAReplica_isUnavailable_withAMessage() {
    assertFailsWith(Status.Code.UNAVAILABLE, () -> client.modelInfer(infer("idle")))
        .isEqualTo("model idle has no serving replica");
    assertFailsWith(Status.Code.UNAVAILABLE, () -> client.modelInfer(infer("idle", "1")))
        .isEqualTo("model idle version 1 has no serving replica");
    assertFailsWith(Status.Code.UNAVAILABLE, () -> client.modelInfer(infer("undeployed")))
        .isEqualTo("model undeployed has no serving replica");
  }

  private static String modelId(
      GRPCInferenceServiceBlockingStub client, String model, String version) {
    return client
        .modelInfer(infer(model, version))
        .getParametersOrThrow("model_id")
        .getStringParam();
  }
}
