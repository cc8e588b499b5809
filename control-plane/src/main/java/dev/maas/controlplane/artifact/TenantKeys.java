package dev.maas.controlplane.artifact;

import dev.maas.controlplane.config.PlatformSecrets;
import dev.maas.controlplane.db.Database;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tenants' data keys: one random AES-256 key per tenant, which encrypts its artifacts. Stored in
 * {@code tenant_data_keys} wrapped by the platform master key as {@code 0x01 | nonce (12) |
 * AES-256-GCM(master key, data key) | tag (16)}, with the tenant's name as additional data, so a
 * wrapped key cannot be moved to another tenant. Keys are not cached: a deleted and re-created
 * tenant gets a new one.
 */
@Singleton
public final class TenantKeys {

  private static final byte FORMAT = 1;
  private static final int KEY_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Database database;
  private final SecretKey masterKey;

  public TenantKeys(Database database, PlatformSecrets secrets) {
    this.database = database;
    this.masterKey = new SecretKeySpec(secrets.masterKey(), "AES");
  }

  /** The tenant's data key, made and stored on first use; the tenant must exist. */
  public SecretKey dataKey(String tenant) {
    byte[] wrapped =
        database.transaction(
            connection -> {
              Optional<byte[]> stored = find(connection, tenant);
              if (stored.isPresent()) {
                return stored.get();
              }
              byte[] key = new byte[KEY_BYTES];
              RANDOM.nextBytes(key);
              insertIfAbsent(connection, tenant, wrap(key, tenant));
              // Another replica may have won the race to insert; everyone uses the stored key.
              return find(connection, tenant).orElseThrow();
            });
    return unwrap(wrapped, tenant);
  }

  /** The tenant's data key, if it has one. */
  public Optional<SecretKey> existingKey(String tenant) {
    return database
        .transaction(connection -> find(connection, tenant))
        .map(wrapped -> unwrap(wrapped, tenant));
  }

  private byte[] wrap(byte[] key, String tenant) {
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(SegmentFormat.TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, masterKey, new GCMParameterSpec(128, nonce));
      cipher.updateAAD(associatedData(tenant));
      byte[] sealed = cipher.doFinal(key);
      return ByteBuffer.allocate(1 + nonce.length + sealed.length)
          .put(FORMAT)
          .put(nonce)
          .put(sealed)
          .array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot wrap a data key", e);
    }
  }

  private SecretKey unwrap(byte[] wrapped, String tenant) {
    if (wrapped.length != 1 + 12 + KEY_BYTES + 16 || wrapped[0] != FORMAT) {
      throw new IllegalStateException("the stored data key of tenant " + tenant + " is malformed");
    }
    try {
      Cipher cipher = Cipher.getInstance(SegmentFormat.TRANSFORMATION);
      cipher.init(Cipher.DECRYPT_MODE, masterKey, new GCMParameterSpec(128, wrapped, 1, 12));
      cipher.updateAAD(associatedData(tenant));
      return new SecretKeySpec(cipher.doFinal(wrapped, 13, wrapped.length - 13), "AES");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot unwrap the data key of tenant "
              + tenant
              + ": was the master key (maas.master-key) changed?",
          e);
    }
  }

  private static byte[] associatedData(String tenant) {
    return ("maas tenant data key:" + tenant).getBytes(StandardCharsets.UTF_8);
  }

  private static Optional<byte[]> find(Connection connection, String tenant) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("select wrapped_key from tenant_data_keys where tenant = ?")) {
      select.setString(1, tenant);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(rows.getBytes(1)) : Optional.empty();
      }
    }
  }

  private static void insertIfAbsent(Connection connection, String tenant, byte[] wrapped)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into tenant_data_keys (tenant, wrapped_key) values (?, ?)"
                + " on conflict (tenant) do nothing")) {
      insert.setString(1, tenant);
      insert.setBytes(2, wrapped);
      insert.executeUpdate();
    }
  }
}
