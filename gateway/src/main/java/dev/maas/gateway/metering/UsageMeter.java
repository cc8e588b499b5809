package dev.maas.gateway.metering;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Aggregates usage per tenant, model, version and hour until it is drained for a report.
 * Thread-safe: {@link #record} and {@link #drain} are atomic per key, so a count lands either in
 * this drain or the next, never in both or neither.
 */
public final class UsageMeter {

  private final Clock clock;
  private final ConcurrentMap<UsageKey, UsageCounts> pending = new ConcurrentHashMap<>();

  public UsageMeter(Clock clock) {
    this.clock = clock;
  }

  /** Counts one call that ended now. */
  public void record(String tenant, String model, long version, UsageCounts counts) {
    Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS);
    pending.merge(new UsageKey(tenant, model, version, hour), counts, UsageCounts::plus);
  }

  /** Takes everything counted so far; what is counted meanwhile goes to the next drain. */
  public Map<UsageKey, UsageCounts> drain() {
    Map<UsageKey, UsageCounts> drained = new HashMap<>();
    for (UsageKey key : pending.keySet()) {
      UsageCounts counts = pending.remove(key);
      if (counts != null) {
        drained.put(key, counts);
      }
    }
    return drained;
  }
}
