package dev.maas.controlplane.model;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for models; every method runs on the caller's connection and transaction. */
public final class ModelRepository {

  private static final String COLUMNS = "id, tenant, name, description, created_at";

  private ModelRepository() {}

  static Model insert(Connection connection, String tenant, String name, String description)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into models (tenant, name, description) values (?, ?, ?) returning "
                + COLUMNS)) {
      insert.setString(1, tenant);
      insert.setString(2, name);
      insert.setString(3, description);
      try (ResultSet rows = insert.executeQuery()) {
        rows.next();
        return read(rows);
      }
    }
  }

  /** The tenant's model of this name, locked for update when {@code forUpdate}. */
  public static Optional<Model> find(
      Connection connection, String tenant, String name, boolean forUpdate) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "select "
                + COLUMNS
                + " from models where tenant = ? and name = ?"
                + (forUpdate ? " for update" : ""))) {
      select.setString(1, tenant);
      select.setString(2, name);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(read(rows)) : Optional.empty();
      }
    }
  }

  static List<Model> list(Connection connection, String tenant) throws SQLException {
    List<Model> models = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "select " + COLUMNS + " from models where tenant = ? order by name")) {
      select.setString(1, tenant);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          models.add(read(rows));
        }
      }
    }
    return models;
  }

  static long count(Connection connection, String tenant) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("select count(*) from models where tenant = ?")) {
      select.setString(1, tenant);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  /** Deletes a model; its versions go with it. */
  static void delete(Connection connection, long id) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("delete from models where id = ?")) {
      delete.setLong(1, id);
      delete.executeUpdate();
    }
  }

  /** Whether the model has a deployment. */
  static boolean isDeployed(Connection connection, long id) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("select 1 from deployments where model_id = ?")) {
      select.setLong(1, id);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next();
      }
    }
  }

  /**
   * Whether the model's deployment serves this version: as its default version, or in its traffic
   * split (a JSON array of {@code {"version": n, "percent": p}}).
   */
  static boolean isVersionDeployed(Connection connection, long id, long version)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "select 1 from deployments where model_id = ? and (default_version = ?"
                + " or case when jsonb_typeof(traffic_split) = 'array' then exists ("
                + " select 1 from jsonb_array_elements(traffic_split) split"
                + " where split ->> 'version' = ?::text) else false end)")) {
      select.setLong(1, id);
      select.setLong(2, version);
      select.setLong(3, version);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next();
      }
    }
  }

  /**
   * Locks the tenant's row against concurrent model creation, without blocking inserts that
   * reference it; whether the tenant exists.
   */
  static boolean lockTenant(Connection connection, String tenant) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("select 1 from tenants where name = ? for no key update")) {
      select.setString(1, tenant);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next();
      }
    }
  }

  private static Model read(ResultSet rows) throws SQLException {
    return new Model(
        rows.getLong("id"),
        rows.getString("tenant"),
        rows.getString("name"),
        rows.getString("description"),
        rows.getTimestamp("created_at").toInstant());
  }
}
