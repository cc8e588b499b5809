package dev.maas.gateway.quota;

import dev.maas.gateway.snapshot.RoutingTable;
import dev.maas.gateway.snapshot.TenantQuota;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tenant's requests this month: what the latest snapshot says the control plane counted, plus
 * what this gateway admitted since that snapshot arrived. A new snapshot resets the local count
 * (its figure now holds what was reported); a new month (UTC) resets both. Thread-safe; the limit
 * is soft by the calls racing each other and by other gateways' calls not yet in a snapshot.
 */
final class MonthlyCounter {

  private record Count(YearMonth month, AtomicLong requests) {}

  private final Clock clock;
  private final ConcurrentMap<String, Count> sinceSnapshot = new ConcurrentHashMap<>();
  private volatile YearMonth snapshotMonth;

  MonthlyCounter(Clock clock) {
    this.clock = clock;
  }

  /** Starts counting afresh from a new snapshot. */
  void onSnapshot(RoutingTable table) {
    snapshotMonth = YearMonth.from(table.buildTime().atZone(ZoneOffset.UTC));
    sinceSnapshot.clear();
  }

  /** Whether {@code tenant} has used its monthly requests up. */
  boolean isExhausted(String tenant, TenantQuota quota) {
    return quota.monthlyRequests() > 0 && used(tenant, quota) >= quota.monthlyRequests();
  }

  /** Counts one admitted request. */
  void count(String tenant) {
    YearMonth month = month();
    sinceSnapshot
        .compute(
            tenant,
            (t, old) ->
                old != null && old.month().equals(month) ? old : new Count(month, new AtomicLong()))
        .requests()
        .incrementAndGet();
  }

  /** The current month, UTC. */
  YearMonth month() {
    return YearMonth.now(clock.withZone(ZoneOffset.UTC));
  }

  private long used(String tenant, TenantQuota quota) {
    YearMonth month = month();
    long reported = month.equals(snapshotMonth) ? quota.monthlyRequestsUsed() : 0;
    Count local = sinceSnapshot.get(tenant);
    return reported + (local != null && local.month().equals(month) ? local.requests().get() : 0);
  }
}
