package dev.maas.controlplane.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.controlplane.grpc.ProtoTime;
import dev.maas.controlplane.testing.ControlPlaneExtension;
import dev.maas.proto.admin.v1.GetUsageRequest;
import dev.maas.proto.admin.v1.UsageRecord;
import dev.maas.proto.admin.v1.UsageServiceGrpc;
import dev.maas.proto.cluster.v1.ReportUsageRequest;
import dev.maas.proto.cluster.v1.RoutingServiceGrpc;
import dev.maas.proto.cluster.v1.RoutingSnapshot;
import dev.maas.proto.cluster.v1.UsageEntry;
import dev.maas.proto.cluster.v1.UsageReportServiceGrpc;
import dev.maas.proto.cluster.v1.WatchRoutingRequest;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class UsageReportTest {

  @RegisterExtension static final ControlPlaneExtension plane = new ControlPlaneExtension();

  @Test
  void aRepeatedBatchIsCountedOnce_andShowsInUsageAndTheSnapshot() {
    plane.createTenant("acme");
    ReportUsageRequest batch =
        ReportUsageRequest.newBuilder()
            .setBatchId("gw-1-000042")
            .setGatewayId("gw-1")
            .addEntries(
                UsageEntry.newBuilder()
                    .setTenant("acme")
                    .setModel("lenet")
                    .setVersion(1)
                    .setHour(ProtoTime.of(Instant.now()))
                    .setRequests(7)
                    .setErrors(1)
                    .setItems(21)
                    .setBytesIn(7000)
                    .setBytesOut(280)
                    .setComputeMs(35))
            .build();
    UsageReportServiceGrpc.UsageReportServiceBlockingStub reports =
        UsageReportServiceGrpc.newBlockingStub(plane.cluster());

    boolean first = reports.reportUsage(batch).getRecorded();
    boolean again = reports.reportUsage(batch).getRecorded();

    assertThat(first).isTrue();
    assertThat(again).isFalse();
    List<UsageRecord> usage =
        UsageServiceGrpc.newBlockingStub(plane.admin())
            .getUsage(GetUsageRequest.newBuilder().setTenant("acme").build())
            .getRecordsList();
    assertThat(usage).hasSize(1);
    assertThat(usage.get(0).getRequests()).isEqualTo(7);
    assertThat(usage.get(0).getItems()).isEqualTo(21);

    Iterator<RoutingSnapshot> snapshots =
        RoutingServiceGrpc.newBlockingStub(plane.cluster())
            .watchRouting(WatchRoutingRequest.getDefaultInstance());
    RoutingSnapshot snapshot = snapshots.next();
    assertThat(
            snapshot.getTenantsList().stream()
                .filter(t -> t.getName().equals("acme"))
                .findFirst()
                .orElseThrow()
                .getQuota()
                .getMonthlyRequestsUsed())
        .isEqualTo(7);
  }
}
