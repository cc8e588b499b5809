package dev.maas.controlplane.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Rows the cluster tests need, written straight into the test database. */
public final class ClusterFixtures {

  private ClusterFixtures() {}

  /** Inserts a model with one READY version and returns the model's id. */
  public static long readyModel(Connection sql, String tenant, String name, long version)
      throws SQLException {
    long id;
    try (PreparedStatement insert =
        sql.prepareStatement("insert into models (tenant, name) values (?, ?) returning id")) {
      insert.setString(1, tenant);
      insert.setString(2, name);
      try (ResultSet rows = insert.executeQuery()) {
        rows.next();
        id = rows.getLong(1);
      }
    }
    addReadyVersion(sql, id, version);
    return id;
  }

  /** Inserts a READY version of a model. */
  public static void addReadyVersion(Connection sql, long modelId, long version)
      throws SQLException {
    try (PreparedStatement insert =
        sql.prepareStatement(
            "insert into model_versions (model_id, version, state, sha256, size_bytes)"
                + " values (?, ?, 'READY', ?, 1234)")) {
      insert.setLong(1, modelId);
      insert.setLong(2, version);
      insert.setString(3, "%064d".formatted(version));
      insert.executeUpdate();
    }
  }

  /** Deploys {@code version} of a model on {@code replicas} CPU replicas. */
  public static void deploy(Connection sql, long modelId, long version, int replicas)
      throws SQLException {
    try (PreparedStatement upsert =
        sql.prepareStatement(
            "insert into deployments (model_id, default_version, min_replicas, max_replicas,"
                + " device) values (?, ?, ?, ?, 'CPU') on conflict (model_id) do update set"
                + " default_version = excluded.default_version,"
                + " min_replicas = excluded.min_replicas, max_replicas = excluded.max_replicas")) {
      upsert.setLong(1, modelId);
      upsert.setLong(2, version);
      upsert.setInt(3, replicas);
      upsert.setInt(4, replicas);
      upsert.executeUpdate();
    }
  }
}
