package dev.maas.controlplane.deployment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Reads of the models and model_versions tables that deployments need; every method runs on the
 * caller's connection and transaction.
 */
final class TenantModels {

  private TenantModels() {}

  /** The id of the tenant's model with this name, if there is one. */
  static OptionalLong modelId(Connection connection, String tenant, String name)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("select id from models where tenant = ? and name = ?")) {
      select.setString(1, tenant);
      select.setString(2, name);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
      }
    }
  }

  /**
   * The state (such as {@code READY}) of each version of the model, by version. The rows stay
   * share-locked until the transaction ends, so no version changes state under a deployment being
   * set.
   */
  static Map<Long, String> lockVersionStates(Connection connection, long modelId)
      throws SQLException {
    Map<Long, String> states = new TreeMap<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "select version, state from model_versions where model_id = ? for share")) {
      select.setLong(1, modelId);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          states.put(rows.getLong(1), rows.getString(2));
        }
      }
    }
    return states;
  }
}
