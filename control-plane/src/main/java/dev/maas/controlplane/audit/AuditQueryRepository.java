package dev.maas.controlplane.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** SQL reads of the audit log; every method runs on the caller's connection and transaction. */
final class AuditQueryRepository {

  private static final String COLUMNS =
      "id, at, actor, tenant, action, target, before_json, after_json";

  private AuditQueryRepository() {}

  /** The newest {@code limit} events of every tenant, newest first. */
  static List<AuditQuery.Event> latest(Connection connection, int limit) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "select " + COLUMNS + " from audit_events order by id desc limit ?")) {
      select.setInt(1, limit);
      return read(select);
    }
  }

  /** The newest {@code limit} events of one tenant, newest first. */
  static List<AuditQuery.Event> latestOfTenant(Connection connection, String tenant, int limit)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "select " + COLUMNS + " from audit_events where tenant = ? order by id desc limit ?")) {
      select.setString(1, tenant);
      select.setInt(2, limit);
      return read(select);
    }
  }

  private static List<AuditQuery.Event> read(PreparedStatement select) throws SQLException {
    List<AuditQuery.Event> events = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        events.add(
            new AuditQuery.Event(
                rows.getLong("id"),
                rows.getTimestamp("at").toInstant(),
                rows.getString("actor"),
                rows.getString("tenant"),
                rows.getString("action"),
                rows.getString("target"),
                rows.getString("before_json"),
                rows.getString("after_json")));
      }
    }
    return events;
  }
}
