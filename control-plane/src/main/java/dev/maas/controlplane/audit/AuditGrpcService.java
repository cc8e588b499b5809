package dev.maas.controlplane.audit;

import dev.maas.controlplane.auth.Principal;
import dev.maas.controlplane.grpc.AdminApi;
import dev.maas.controlplane.grpc.Calls;
import dev.maas.controlplane.grpc.ProtoTime;
import dev.maas.proto.admin.v1.AuditEvent;
import dev.maas.proto.admin.v1.AuditServiceGrpc;
import dev.maas.proto.admin.v1.ListAuditEventsRequest;
import dev.maas.proto.admin.v1.ListAuditEventsResponse;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;

/** The gRPC front end of the audit log. */
@Singleton
final class AuditGrpcService extends AuditServiceGrpc.AuditServiceImplBase implements AdminApi {

  private final AuditQuery audit;

  AuditGrpcService(AuditQuery audit) {
    this.audit = audit;
  }

  @Override
  public void listAuditEvents(
      ListAuditEventsRequest request, StreamObserver<ListAuditEventsResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          ListAuditEventsResponse.Builder response = ListAuditEventsResponse.newBuilder();
          audit
              .latest(Principal.current(), request.getTenant(), request.getLimit())
              .forEach(event -> response.addEvents(toProto(event)));
          return response.build();
        });
  }

  private static AuditEvent toProto(AuditQuery.Event event) {
    return AuditEvent.newBuilder()
        .setId(event.id())
        .setTime(ProtoTime.of(event.at()))
        .setActor(event.actor())
        .setTenant(event.tenant())
        .setAction(event.action())
        .setTarget(event.target())
        .setBeforeJson(event.beforeJson())
        .setAfterJson(event.afterJson())
        .build();
  }
}
