package dev.maas.controlplane.usage;

import dev.maas.controlplane.auth.Principal;
import dev.maas.controlplane.grpc.AdminApi;
import dev.maas.controlplane.grpc.Calls;
import dev.maas.controlplane.grpc.ProtoTime;
import dev.maas.proto.admin.v1.GetUsageRequest;
import dev.maas.proto.admin.v1.GetUsageResponse;
import dev.maas.proto.admin.v1.UsageServiceGrpc;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;

/** The gRPC front end of usage. */
@Singleton
final class UsageGrpcService extends UsageServiceGrpc.UsageServiceImplBase implements AdminApi {

  private final UsageService usage;

  UsageGrpcService(UsageService usage) {
    this.usage = usage;
  }

  @Override
  public void getUsage(GetUsageRequest request, StreamObserver<GetUsageResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          GetUsageResponse.Builder response = GetUsageResponse.newBuilder();
          usage
              .get(
                  Principal.current(),
                  request.getTenant(),
                  request.getModel(),
                  request.hasStartTime() ? ProtoTime.toInstant(request.getStartTime()) : null,
                  request.hasEndTime() ? ProtoTime.toInstant(request.getEndTime()) : null)
              .forEach(record -> response.addRecords(toProto(record)));
          return response.build();
        });
  }

  private static dev.maas.proto.admin.v1.UsageRecord toProto(UsageRecord record) {
    UsageCounts counts = record.counts();
    return dev.maas.proto.admin.v1.UsageRecord.newBuilder()
        .setModel(record.model())
        .setVersion(record.version())
        .setHour(ProtoTime.of(record.hour()))
        .setRequests(counts.requests())
        .setErrors(counts.errors())
        .setItems(counts.items())
        .setBytesIn(counts.bytesIn())
        .setBytesOut(counts.bytesOut())
        .setComputeMs(counts.computeMs())
        .build();
  }
}
