package dev.maas.sdk.admin;

import dev.maas.proto.admin.v1.AuditServiceGrpc;
import dev.maas.proto.admin.v1.ListAuditEventsRequest;
import dev.maas.sdk.internal.AdminCalls;
import dev.maas.sdk.internal.Timestamps;
import java.util.List;

/** The audit log of administrative changes: who changed what, when, before and after. */
public final class AuditLog {

  private final AdminCalls calls;

  /** Internal: made by {@link dev.maas.sdk.MaasAdminClient#audit()}. */
  public AuditLog(AdminCalls calls) {
    this.calls = calls;
  }

  /**
   * Events, newest first.
   *
   * @param tenant only this tenant's events, or null for every tenant's (admin token only)
   * @param limit at most this many; 0 means 100, more than 1000 is lowered to 1000
   */
  public List<AuditEvent> list(String tenant, int limit) {
    ListAuditEventsRequest request =
        ListAuditEventsRequest.newBuilder()
            .setTenant(tenant == null ? "" : tenant)
            .setLimit(limit)
            .build();
    return calls.call(
        () ->
            calls
                .stub(AuditServiceGrpc::newBlockingStub)
                .listAuditEvents(request)
                .getEventsList()
                .stream()
                .map(
                    e ->
                        new AuditEvent(
                            e.getId(),
                            Timestamps.toInstant(e.hasTime(), e.getTime()),
                            e.getActor(),
                            e.getTenant(),
                            e.getAction(),
                            e.getTarget(),
                            e.getBeforeJson(),
                            e.getAfterJson()))
                .toList());
  }
}
