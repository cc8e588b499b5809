package dev.maas.sdk.admin;

import dev.maas.proto.admin.v1.GetUsageRequest;
import dev.maas.proto.admin.v1.UsageServiceGrpc;
import dev.maas.sdk.internal.AdminCalls;
import dev.maas.sdk.internal.Timestamps;
import java.time.Instant;
import java.util.List;

/**
 * Usage accounting per model, version and hour (UTC), as gateways report it (shortly after the
 * requests, not at once). At most 31 days per request.
 */
public final class Usage {

  private final AdminCalls calls;

  /** Internal: made by {@link dev.maas.sdk.MaasAdminClient#usage()}. */
  public Usage(AdminCalls calls) {
    this.calls = calls;
  }

  /**
   * The tenant's usage, oldest first; hours without traffic are left out.
   *
   * @param model only this model, or null for every model
   * @param start the first hour included, or null for 24 hours before {@code end}
   * @param end the hour after the last one included, or null for now
   */
  public List<UsageRecord> get(String tenant, String model, Instant start, Instant end) {
    GetUsageRequest.Builder request =
        GetUsageRequest.newBuilder().setTenant(tenant).setModel(model == null ? "" : model);
    if (start != null) {
      request.setStartTime(Timestamps.of(start));
    }
    if (end != null) {
      request.setEndTime(Timestamps.of(end));
    }
    return calls.call(
        () ->
            calls
                .stub(UsageServiceGrpc::newBlockingStub)
                .getUsage(request.build())
                .getRecordsList()
                .stream()
                .map(
                    r ->
                        new UsageRecord(
                            r.getModel(),
                            r.getVersion(),
                            Timestamps.toInstant(r.hasHour(), r.getHour()),
                            r.getRequests(),
                            r.getErrors(),
                            r.getItems(),
                            r.getBytesIn(),
                            r.getBytesOut(),
                            r.getComputeMs()))
                .toList());
  }
}
