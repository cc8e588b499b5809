package dev.maas.controlplane.tenant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for tenants; every method runs on the caller's connection and transaction. */
public final class TenantRepository {

  private static final String COLUMNS = "name, display_name, status, created_at";

  private TenantRepository() {}

  static void insert(Connection connection, String name, String displayName) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into tenants (name, display_name, status) values (?, ?, 'ACTIVE')")) {
      insert.setString(1, name);
      insert.setString(2, displayName);
      insert.executeUpdate();
    }
  }

  /** The tenant with this name, locked for update when {@code forUpdate}. */
  public static Optional<Tenant> find(Connection connection, String name, boolean forUpdate)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "select "
                + COLUMNS
                + " from tenants where name = ?"
                + (forUpdate ? " for update" : ""))) {
      select.setString(1, name);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(read(rows)) : Optional.empty();
      }
    }
  }

  static List<Tenant> list(Connection connection) throws SQLException {
    List<Tenant> tenants = new ArrayList<>();
    try (PreparedStatement select =
            connection.prepareStatement("select " + COLUMNS + " from tenants order by name");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        tenants.add(read(rows));
      }
    }
    return tenants;
  }

  static void setStatus(Connection connection, String name, TenantStatus status)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "update tenants set status = ?, updated_at = now() where name = ?")) {
      update.setString(1, status.name());
      update.setString(2, name);
      update.executeUpdate();
    }
  }

  static void delete(Connection connection, String name) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("delete from tenants where name = ?")) {
      delete.setString(1, name);
      delete.executeUpdate();
    }
  }

  /** Whether any model of the tenant is deployed. */
  static boolean hasDeployments(Connection connection, String name) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "select 1 from deployments d join models m on m.id = d.model_id where m.tenant = ?"
                + " limit 1")) {
      select.setString(1, name);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next();
      }
    }
  }

  private static Tenant read(ResultSet rows) throws SQLException {
    return new Tenant(
        rows.getString("name"),
        rows.getString("display_name"),
        TenantStatus.valueOf(rows.getString("status")),
        rows.getTimestamp("created_at").toInstant());
  }
}
