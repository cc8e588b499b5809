package dev.maas.gateway.metering;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Aggregates usage per tenant, model, version and hour until it is drained for a report.
 * Thread-safe: {@link #record} and {@link #drain} are atomic per key, so a count lands either in
 * this drain or the next, never in both or neither. With a {@link UsageJournal}, every count is
 * also appended to it, and a drain seals the journal's call log at the same instant.
 */
public final class UsageMeter {

  private final Clock clock;
  private final UsageJournal journal;
  private final ConcurrentMap<UsageKey, UsageCounts> pending = new ConcurrentHashMap<>();
  // Appends hold it shared, a drain exclusively: a count is in the call log that a drain seals
  // exactly when it is in what that drain takes.
  private final ReadWriteLock sealing = new ReentrantReadWriteLock();

  /** A meter that keeps usage in memory only. */
  public UsageMeter(Clock clock) {
    this.clock = clock;
    this.journal = null;
  }

  /** A meter that also keeps usage in {@code journal}, starting with what it recovered. */
  public UsageMeter(Clock clock, UsageJournal journal) {
    this.clock = clock;
    this.journal = journal;
    journal
        .recoveredCalls()
        .forEach((key, counts) -> pending.merge(key, counts, UsageCounts::plus));
  }

  /** Counts one call that ended now. */
  public void record(String tenant, String model, long version, UsageCounts counts) {
    Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS);
    UsageKey key = new UsageKey(tenant, model, version, hour);
    if (journal == null) {
      pending.merge(key, counts, UsageCounts::plus);
      return;
    }
    sealing.readLock().lock();
    try {
      journal.append(key, counts);
      pending.merge(key, counts, UsageCounts::plus);
    } finally {
      sealing.readLock().unlock();
    }
  }

  /** Takes everything counted so far; what is counted meanwhile goes to the next drain. */
  public Map<UsageKey, UsageCounts> drain() {
    if (journal == null) {
      return take();
    }
    sealing.writeLock().lock();
    try {
      Map<UsageKey, UsageCounts> drained = take();
      journal.seal();
      return drained;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot seal the usage journal", e);
    } finally {
      sealing.writeLock().unlock();
    }
  }

  private Map<UsageKey, UsageCounts> take() {
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
