package dev.maas.controlplane.artifact;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** SQL for the {@code artifacts} table; every method runs on the caller's transaction. */
final class ArtifactRepository {

  /** The advisory-lock class of a tenant's artifacts ("artf"), apart from other locks. */
  private static final int LOCK_CLASS = 0x61727466;

  private ArtifactRepository() {}

  /**
   * Takes the tenant's artifact lock until the transaction ends: it orders storing, collecting and
   * sweeping the tenant's artifacts across threads and replicas.
   */
  static void lock(Connection connection, String tenant) throws SQLException {
    try (PreparedStatement lock =
        connection.prepareStatement("select pg_advisory_xact_lock(?, hashtext(?))")) {
      lock.setInt(1, LOCK_CLASS);
      lock.setString(2, tenant);
      lock.execute();
    }
  }

  static boolean exists(Connection connection, String tenant, String sha256) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("select 1 from artifacts where tenant = ? and sha256 = ?")) {
      select.setString(1, tenant);
      select.setString(2, sha256);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next();
      }
    }
  }

  static void insert(Connection connection, String tenant, String sha256, long sizeBytes)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into artifacts (tenant, sha256, size_bytes) values (?, ?, ?)"
                + " on conflict (tenant, sha256) do nothing")) {
      insert.setString(1, tenant);
      insert.setString(2, sha256);
      insert.setLong(3, sizeBytes);
      insert.executeUpdate();
    }
  }

  static long usedBytes(Connection connection, String tenant) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "select coalesce(sum(size_bytes), 0) from artifacts where tenant = ?")) {
      select.setString(1, tenant);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  static Set<String> list(Connection connection, String tenant) throws SQLException {
    Set<String> digests = new TreeSet<>();
    try (PreparedStatement select =
        connection.prepareStatement("select sha256 from artifacts where tenant = ?")) {
      select.setString(1, tenant);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          digests.add(rows.getString(1));
        }
      }
    }
    return digests;
  }

  /** The tenant's artifacts that no READY or RETIRED version uses. */
  static List<String> unreferenced(Connection connection, String tenant) throws SQLException {
    List<String> digests = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "select a.sha256 from artifacts a where a.tenant = ? and not exists ("
                + " select 1 from model_versions v join models m on m.id = v.model_id"
                + " where m.tenant = a.tenant and v.sha256 = a.sha256"
                + " and v.state in ('READY', 'RETIRED'))")) {
      select.setString(1, tenant);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          digests.add(rows.getString(1));
        }
      }
    }
    return digests;
  }

  static void delete(Connection connection, String tenant, String sha256) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("delete from artifacts where tenant = ? and sha256 = ?")) {
      delete.setString(1, tenant);
      delete.setString(2, sha256);
      delete.executeUpdate();
    }
  }
}
