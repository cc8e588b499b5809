package dev.maas.controlplane.deployment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for deployments; every method runs on the caller's connection and transaction. */
public final class DeploymentRepository {

  private DeploymentRepository() {}

  /** The deployment of the model with this id, if it is deployed. */
  public static Optional<Deployment> find(Connection connection, long modelId) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "select m.tenant, m.name, d.default_version, d.traffic_split::text, d.min_replicas,"
                + " d.max_replicas, d.device, d.batching::text, d.rate_limit_rps, d.updated_at"
                + " from deployments d join models m on m.id = d.model_id where d.model_id = ?")) {
      select.setLong(1, modelId);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Deployment(
                rows.getString(1),
                rows.getString(2),
                rows.getLong(3),
                DeploymentJson.readSplit(rows.getString(4)),
                rows.getInt(5),
                rows.getInt(6),
                Device.valueOf(rows.getString(7)),
                DeploymentJson.readBatching(rows.getString(8)),
                rows.getDouble(9),
                rows.getTimestamp(10).toInstant()));
      }
    }
  }

  /** The placements of the model with this id, by version then worker. */
  public static List<Replica> replicas(Connection connection, long modelId) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "select p.version, p.worker_id, p.state, p.reason, w.healthy, p.updated_at"
                + " from placements p join workers w on w.id = p.worker_id"
                + " where p.model_id = ? order by p.version, p.worker_id")) {
      select.setLong(1, modelId);
      try (ResultSet rows = select.executeQuery()) {
        List<Replica> replicas = new ArrayList<>();
        while (rows.next()) {
          replicas.add(
              new Replica(
                  rows.getLong(1),
                  rows.getString(2),
                  rows.getString(3),
                  rows.getString(4),
                  rows.getBoolean(5),
                  rows.getTimestamp(6).toInstant()));
        }
        return replicas;
      }
    }
  }

  /** Creates or replaces the deployment of the model with this id. */
  static void save(Connection connection, long modelId, Deployment deployment) throws SQLException {
    try (PreparedStatement upsert =
        connection.prepareStatement(
            "insert into deployments (model_id, default_version, traffic_split, min_replicas,"
                + " max_replicas, device, batching, rate_limit_rps)"
                + " values (?, ?, ?::jsonb, ?, ?, ?, ?::jsonb, ?)"
                + " on conflict (model_id) do update set"
                + " default_version = excluded.default_version,"
                + " traffic_split = excluded.traffic_split,"
                + " min_replicas = excluded.min_replicas, max_replicas = excluded.max_replicas,"
                + " device = excluded.device, batching = excluded.batching,"
                + " rate_limit_rps = excluded.rate_limit_rps, updated_at = now()")) {
      upsert.setLong(1, modelId);
      upsert.setLong(2, deployment.defaultVersion());
      upsert.setString(3, DeploymentJson.writeSplit(deployment.trafficSplit()));
      upsert.setInt(4, deployment.minReplicas());
      upsert.setInt(5, deployment.maxReplicas());
      upsert.setString(6, deployment.device().name());
      upsert.setString(7, DeploymentJson.writeBatching(deployment.batching()));
      upsert.setDouble(8, deployment.rateLimitRps());
      upsert.executeUpdate();
    }
  }

  /** Removes the deployment of the model with this id. */
  static void delete(Connection connection, long modelId) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("delete from deployments where model_id = ?")) {
      delete.setLong(1, modelId);
      delete.executeUpdate();
    }
  }

  /** The max_replicas of all the tenant's deployments but the one of {@code exceptModelId}. */
  static long maxReplicasOfOthers(Connection connection, String tenant, long exceptModelId)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "select coalesce(sum(d.max_replicas), 0) from deployments d"
                + " join models m on m.id = d.model_id where m.tenant = ? and d.model_id <> ?")) {
      select.setString(1, tenant);
      select.setLong(2, exceptModelId);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }
}
