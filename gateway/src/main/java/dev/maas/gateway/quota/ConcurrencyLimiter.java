package dev.maas.gateway.quota;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Counts each tenant's calls in flight and refuses one more past its limit. Thread-safe. */
final class ConcurrencyLimiter {

  private final ConcurrentMap<String, AtomicLong> inFlight = new ConcurrentHashMap<>();

  /**
   * Takes a slot for one call of {@code tenant}.
   *
   * @param limit calls in flight allowed; 0 or less means no limit (calls are still counted)
   * @return the slot, or null when the tenant has {@code limit} calls in flight already
   */
  Slot tryAcquire(String tenant, long limit) {
    AtomicLong count = inFlight.computeIfAbsent(tenant, t -> new AtomicLong());
    while (true) {
      long current = count.get();
      if (limit > 0 && current >= limit) {
        return null;
      }
      if (count.compareAndSet(current, current + 1)) {
        return new Slot(count);
      }
    }
  }

  /** Calls of {@code tenant} in flight now. */
  long inFlight(String tenant) {
    AtomicLong count = inFlight.get(tenant);
    return count == null ? 0 : count.get();
  }

  /** One call's slot; releasing it twice is harmless. */
  static final class Slot {
    private final AtomicLong count;
    private final AtomicBoolean released = new AtomicBoolean();

    private Slot(AtomicLong count) {
      this.count = count;
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        count.decrementAndGet();
      }
    }
  }
}
