package dev.maas.controlplane.apikey;

import dev.maas.controlplane.auth.KeyScope;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** SQL for API keys; every method runs on the caller's connection and transaction. */
final class ApiKeyRepository {

  private static final String COLUMNS =
      "key_id, tenant, scopes, description, created_at, expires_at, revoked_at, last_used_at";

  private ApiKeyRepository() {}

  static void insert(
      Connection connection,
      String keyId,
      String tenant,
      byte[] secretHash,
      Set<KeyScope> scopes,
      String description,
      Instant expiresAt)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into api_keys (key_id, tenant, secret_sha256, scopes, description, expires_at)"
                + " values (?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, keyId);
      insert.setString(2, tenant);
      insert.setBytes(3, secretHash);
      insert.setArray(
          4, connection.createArrayOf("text", scopes.stream().map(KeyScope::storedName).toArray()));
      insert.setString(5, description);
      insert.setTimestamp(6, expiresAt == null ? null : Timestamp.from(expiresAt));
      insert.executeUpdate();
    }
  }

  static Optional<ApiKey> find(Connection connection, String keyId) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("select " + COLUMNS + " from api_keys where key_id = ?")) {
      select.setString(1, keyId);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(read(rows)) : Optional.empty();
      }
    }
  }

  static Optional<byte[]> secretHash(Connection connection, String keyId) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("select secret_sha256 from api_keys where key_id = ?")) {
      select.setString(1, keyId);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(rows.getBytes(1)) : Optional.empty();
      }
    }
  }

  static List<ApiKey> listByTenant(Connection connection, String tenant) throws SQLException {
    List<ApiKey> keys = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "select " + COLUMNS + " from api_keys where tenant = ? order by created_at desc")) {
      select.setString(1, tenant);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          keys.add(read(rows));
        }
      }
    }
    return keys;
  }

  static void revoke(Connection connection, String keyId) throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "update api_keys set revoked_at = now() where key_id = ? and revoked_at is null")) {
      update.setString(1, keyId);
      update.executeUpdate();
    }
  }

  /** Notes a use, at most about once a minute per key, to keep writes off the hot path. */
  static void touch(Connection connection, String keyId) throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "update api_keys set last_used_at = now() where key_id = ?"
                + " and (last_used_at is null or last_used_at < now() - interval '1 minute')")) {
      update.setString(1, keyId);
      update.executeUpdate();
    }
  }

  private static ApiKey read(ResultSet rows) throws SQLException {
    Array scopes = rows.getArray("scopes");
    Set<KeyScope> parsed = EnumSet.noneOf(KeyScope.class);
    Arrays.stream((String[]) scopes.getArray()).map(KeyScope::fromStoredName).forEach(parsed::add);
    return new ApiKey(
        rows.getString("key_id"),
        rows.getString("tenant"),
        parsed,
        rows.getString("description"),
        instant(rows.getTimestamp("created_at")),
        instant(rows.getTimestamp("expires_at")),
        instant(rows.getTimestamp("revoked_at")),
        instant(rows.getTimestamp("last_used_at")));
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
