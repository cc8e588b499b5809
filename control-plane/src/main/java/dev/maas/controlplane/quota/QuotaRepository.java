package dev.maas.controlplane.quota;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/** SQL for quota overrides; every method runs on the caller's connection and transaction. */
final class QuotaRepository {

  private QuotaRepository() {}

  static Quota overrides(Connection connection, String tenant) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "select requests_per_second, burst, max_concurrent_requests, max_request_bytes,"
                + " monthly_requests, max_models, max_storage_bytes, max_replicas"
                + " from quotas where tenant = ?")) {
      select.setString(1, tenant);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return Quota.none();
        }
        return new Quota(
            rows.getObject(1, Double.class),
            rows.getObject(2, Long.class),
            rows.getObject(3, Long.class),
            rows.getObject(4, Long.class),
            rows.getObject(5, Long.class),
            rows.getObject(6, Long.class),
            rows.getObject(7, Long.class),
            rows.getObject(8, Long.class));
      }
    }
  }

  static void save(Connection connection, String tenant, Quota quota) throws SQLException {
    try (PreparedStatement upsert =
        connection.prepareStatement(
            "insert into quotas (tenant, requests_per_second, burst, max_concurrent_requests,"
                + " max_request_bytes, monthly_requests, max_models, max_storage_bytes,"
                + " max_replicas) values (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " on conflict (tenant) do update set"
                + " requests_per_second = excluded.requests_per_second, burst = excluded.burst,"
                + " max_concurrent_requests = excluded.max_concurrent_requests,"
                + " max_request_bytes = excluded.max_request_bytes,"
                + " monthly_requests = excluded.monthly_requests,"
                + " max_models = excluded.max_models,"
                + " max_storage_bytes = excluded.max_storage_bytes,"
                + " max_replicas = excluded.max_replicas")) {
      upsert.setString(1, tenant);
      setDouble(upsert, 2, quota.requestsPerSecond());
      setLong(upsert, 3, quota.burst());
      setLong(upsert, 4, quota.maxConcurrentRequests());
      setLong(upsert, 5, quota.maxRequestBytes());
      setLong(upsert, 6, quota.monthlyRequests());
      setLong(upsert, 7, quota.maxModels());
      setLong(upsert, 8, quota.maxStorageBytes());
      setLong(upsert, 9, quota.maxReplicas());
      upsert.executeUpdate();
    }
  }

  private static void setLong(PreparedStatement statement, int index, Long value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value);
    }
  }

  private static void setDouble(PreparedStatement statement, int index, Double value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.DOUBLE);
    } else {
      statement.setDouble(index, value);
    }
  }
}
