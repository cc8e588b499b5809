package dev.maas.gateway.metering;

import static dev.maas.gateway.testing.Snapshots.keyText;
import static dev.maas.gateway.testing.Snapshots.version;
import static dev.maas.gateway.testing.StatusAssertions.failure;
import static dev.maas.gateway.testing.TestCluster.infer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.maas.gateway.testing.Snapshots;
import dev.maas.gateway.testing.TestCluster;
import dev.maas.gateway.testing.TestWorker;
import dev.maas.proto.cluster.v1.ReportUsageRequest;
import dev.maas.proto.cluster.v1.UsageEntry;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Usage reaches the control plane in batches with ids, resent until acknowledged. */
class UsageReportingTest {

  private TestCluster cluster;
  private TestWorker worker;

  @BeforeEach
  void start() throws Exception {
    cluster = TestCluster.start();
    worker = cluster.worker("w1");
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  private GRPCInferenceServiceBlockingStub gateway(Duration reportInterval) throws Exception {
    cluster.startGateway(options -> options.withUsageReportInterval(reportInterval));
    cluster.publish(
        Snapshots.builder()
            .tenant("acme")
            .key("k", "acme")
            .model("acme", "m", 2, version(2, "m-v2", worker)));
    return cluster.client(keyText("k"));
  }

  @Test
  void everyCall_isReported_perTenantModelVersionAndHour() throws Exception {
    GRPCInferenceServiceBlockingStub client = gateway(Duration.ofMillis(100));
    for (int i = 0; i < 7; i++) {
      client.modelInfer(infer("m"));
    }
    worker.failWith(Status.INVALID_ARGUMENT.withDescription("bad input"));
    failure(Status.Code.INVALID_ARGUMENT, () -> client.modelInfer(infer("m")));
    // Not billed: refused before routing.
    failure(Status.Code.NOT_FOUND, () -> client.modelInfer(infer("nothing")));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> cluster.controlPlane().recordedRequests() == 8);
    List<ReportUsageRequest> batches = cluster.controlPlane().recordedBatches();
    assertThat(batches).allSatisfy(batch -> assertThat(batch.getBatchId()).isNotBlank());
    assertThat(batches).extracting(ReportUsageRequest::getBatchId).doesNotHaveDuplicates();
    assertThat(batches)
        .allSatisfy(batch -> assertThat(batch.getGatewayId()).isEqualTo("test-gateway"));
    List<UsageEntry> entries = batches.stream().flatMap(b -> b.getEntriesList().stream()).toList();
    assertThat(entries)
        .allSatisfy(
            entry -> {
              assertThat(entry.getTenant()).isEqualTo("acme");
              assertThat(entry.getModel()).isEqualTo("m");
              assertThat(entry.getVersion()).isEqualTo(2);
              assertThat(entry.getHour().getSeconds() % 3600).isZero();
              assertThat(Instant.ofEpochSecond(entry.getHour().getSeconds()))
                  .isCloseTo(
                      Instant.now().truncatedTo(ChronoUnit.HOURS), within(1, ChronoUnit.HOURS));
            });
    assertThat(entries.stream().mapToLong(UsageEntry::getErrors).sum()).isEqualTo(1);
    assertThat(entries.stream().mapToLong(UsageEntry::getItems).sum()).isEqualTo(7);
    assertThat(entries.stream().mapToLong(UsageEntry::getBytesIn).sum()).isPositive();
    assertThat(entries.stream().mapToLong(UsageEntry::getBytesOut).sum()).isPositive();
  }

  @Test
  void failedReport_isResentWithTheSameBatchId_andCountedOnce() throws Exception {
    cluster.controlPlane().failNextReports(2);
    GRPCInferenceServiceBlockingStub client = gateway(Duration.ofMillis(100));
    for (int i = 0; i < 5; i++) {
      client.modelInfer(infer("m"));
    }

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> cluster.controlPlane().recordedRequests() == 5);
    List<String> attempts = cluster.controlPlane().attemptedBatchIds();
    assertThat(attempts.size()).isGreaterThanOrEqualTo(3);
    assertThat(attempts.get(1)).isEqualTo(attempts.get(0));
    assertThat(attempts.get(2)).isEqualTo(attempts.get(0));
    assertThat(cluster.controlPlane().recordedBatches().get(0).getBatchId())
        .isEqualTo(attempts.get(0));
  }

  @Test
  void usage_isFlushedOnGracefulShutdown() throws Exception {
    GRPCInferenceServiceBlockingStub client = gateway(Duration.ofHours(1));
    for (int i = 0; i < 4; i++) {
      client.modelInfer(infer("m"));
    }
    assertThat(cluster.controlPlane().recordedRequests()).isZero();

    cluster.gateway().close();

    assertThat(cluster.controlPlane().recordedRequests()).isEqualTo(4);
  }
}
