package dev.maas.controlplane.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.maas.controlplane.auth.Principal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Writes audit events: who changed what, when, and the target before and after. Called inside the
 * transaction that makes the change, so an event exists exactly when its change does.
 */
public final class AuditLog {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private AuditLog() {}

  /**
   * Records one change.
   *
   * @param tenant the tenant concerned, or empty for platform-wide changes
   * @param before the target before the change (a record), or null if it did not exist
   * @param after the target after the change, or null if it no longer exists
   */
  public static void record(
      Connection connection,
      Principal actor,
      String tenant,
      String action,
      String target,
      Object before,
      Object after)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into audit_events (actor, tenant, action, target, before_json, after_json)"
                + " values (?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, actor.actor());
      insert.setString(2, tenant);
      insert.setString(3, action);
      insert.setString(4, target);
      insert.setString(5, toJson(before));
      insert.setString(6, toJson(after));
      insert.executeUpdate();
    }
  }

  private static String toJson(Object value) {
    if (value == null) {
      return "";
    }
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an audit value as JSON", e);
    }
  }
}
