package dev.maas.controlplane.cluster;

import dev.maas.controlplane.grpc.Calls;
import dev.maas.controlplane.grpc.ClusterApi;
import dev.maas.controlplane.grpc.ProtoTime;
import dev.maas.controlplane.usage.UsageCounts;
import dev.maas.controlplane.usage.UsageEntry;
import dev.maas.controlplane.usage.UsageRecorder;
import dev.maas.proto.cluster.v1.ReportUsageRequest;
import dev.maas.proto.cluster.v1.ReportUsageResponse;
import dev.maas.proto.cluster.v1.UsageReportServiceGrpc;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;
import java.util.List;

/** Gateways report usage in batches; a batch id seen before is acknowledged, not counted again. */
@Singleton
final class UsageReportGrpcService extends UsageReportServiceGrpc.UsageReportServiceImplBase
    implements ClusterApi {

  private final UsageRecorder recorder;

  UsageReportGrpcService(UsageRecorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public void reportUsage(
      ReportUsageRequest request, StreamObserver<ReportUsageResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          List<UsageEntry> entries =
              request.getEntriesList().stream()
                  .map(
                      e ->
                          new UsageEntry(
                              e.getTenant(),
                              e.getModel(),
                              e.getVersion(),
                              ProtoTime.toInstant(e.getHour()),
                              new UsageCounts(
                                  e.getRequests(),
                                  e.getErrors(),
                                  e.getItems(),
                                  e.getBytesIn(),
                                  e.getBytesOut(),
                                  e.getComputeMs())))
                  .toList();
          boolean recorded = recorder.record(request.getBatchId(), request.getGatewayId(), entries);
          return ReportUsageResponse.newBuilder().setRecorded(recorded).build();
        });
  }
}
