package dev.maas.controlplane.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** SQL for usage; every method runs on the caller's connection and transaction. */
final class UsageRepository {

  private UsageRepository() {}

  /**
   * Notes a report batch as counted.
   *
   * @return false if it had been counted before
   */
  static boolean claimBatch(Connection connection, String batchId, String gateway)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into usage_batches (batch_id, gateway) values (?, ?)"
                + " on conflict (batch_id) do nothing")) {
      insert.setString(1, batchId);
      insert.setString(2, gateway);
      return insert.executeUpdate() == 1;
    }
  }

  /**
   * Adds counts to their hour buckets, in the buckets' order so that concurrent reports cannot
   * deadlock. Buckets of tenants that no longer exist are skipped.
   */
  static void add(Connection connection, Map<HourBucket, UsageCounts> buckets) throws SQLException {
    try (PreparedStatement upsert =
        connection.prepareStatement(
            "insert into usage_hourly (tenant, model, version, hour, requests, errors, items,"
                + " bytes_in, bytes_out, compute_ms)"
                + " select t.name, ?, ?, ?, ?, ?, ?, ?, ?, ? from tenants t where t.name = ?"
                + " on conflict (tenant, model, version, hour) do update set"
                + " requests = usage_hourly.requests + excluded.requests,"
                + " errors = usage_hourly.errors + excluded.errors,"
                + " items = usage_hourly.items + excluded.items,"
                + " bytes_in = usage_hourly.bytes_in + excluded.bytes_in,"
                + " bytes_out = usage_hourly.bytes_out + excluded.bytes_out,"
                + " compute_ms = usage_hourly.compute_ms + excluded.compute_ms")) {
      for (Map.Entry<HourBucket, UsageCounts> entry : buckets.entrySet()) {
        HourBucket bucket = entry.getKey();
        UsageCounts counts = entry.getValue();
        upsert.setString(1, bucket.model());
        upsert.setLong(2, bucket.version());
        upsert.setObject(3, OffsetDateTime.ofInstant(bucket.hour(), ZoneOffset.UTC));
        upsert.setLong(4, counts.requests());
        upsert.setLong(5, counts.errors());
        upsert.setLong(6, counts.items());
        upsert.setLong(7, counts.bytesIn());
        upsert.setLong(8, counts.bytesOut());
        upsert.setLong(9, counts.computeMs());
        upsert.setString(10, bucket.tenant());
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
  }

  /**
   * The tenant's usage with {@code from <= hour < to}, oldest first.
   *
   * @param model only this model, or null for every model
   */
  static List<UsageRecord> records(
      Connection connection, String tenant, String model, Instant from, Instant to)
      throws SQLException {
    List<UsageRecord> records = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "select model, version, hour, requests, errors, items, bytes_in, bytes_out,"
                + " compute_ms from usage_hourly"
                + " where tenant = ? and hour >= ? and hour < ?"
                + (model == null ? "" : " and model = ?")
                + " order by hour, model, version")) {
      select.setString(1, tenant);
      select.setObject(2, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
      select.setObject(3, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
      if (model != null) {
        select.setString(4, model);
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          records.add(
              new UsageRecord(
                  rows.getString(1),
                  rows.getLong(2),
                  rows.getObject(3, OffsetDateTime.class).toInstant(),
                  new UsageCounts(
                      rows.getLong(4),
                      rows.getLong(5),
                      rows.getLong(6),
                      rows.getLong(7),
                      rows.getLong(8),
                      rows.getLong(9))));
        }
      }
    }
    return records;
  }
}
