package dev.maas.controlplane.usage;

import dev.maas.controlplane.db.Database;
import dev.maas.controlplane.problem.Problem;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Records gateways' usage reports into hourly buckets, idempotently: a batch id seen before is not
 * counted again, so a gateway may resend a batch it is unsure about.
 */
@Singleton
public final class UsageRecorder {

  private final Database database;

  public UsageRecorder(Database database) {
    this.database = database;
  }

  /**
   * Adds a batch of usage to its hour buckets, in one transaction. Entries of tenants that do not
   * exist (any more) are dropped.
   *
   * @param batchId the batch's unique id, chosen by the gateway
   * @param gateway the reporting gateway's id, kept for tracing
   * @return true if the batch was counted now, false if it had been counted before
   * @throws Problem INVALID_ARGUMENT when the batch id is empty
   */
  public boolean record(String batchId, String gateway, List<UsageEntry> entries) {
    if (batchId == null || batchId.isBlank()) {
      throw Problem.invalid("batch_id is required: a unique id per batch makes resending safe");
    }
    SortedMap<HourBucket, UsageCounts> buckets = byBucket(entries);
    return database.transaction(
        connection -> {
          // The batch id's unique key makes a concurrent duplicate wait for this transaction,
          // then find the id taken.
          if (!UsageRepository.claimBatch(connection, batchId, gateway == null ? "" : gateway)) {
            return false;
          }
          UsageRepository.add(connection, buckets);
          return true;
        });
  }

  private static SortedMap<HourBucket, UsageCounts> byBucket(List<UsageEntry> entries) {
    SortedMap<HourBucket, UsageCounts> buckets = new TreeMap<>();
    for (UsageEntry entry : entries) {
      buckets.merge(HourBucket.of(entry), entry.counts(), UsageCounts::plus);
    }
    return buckets;
  }
}
