package dev.maas.controlplane.model;

import io.micronaut.core.annotation.Nullable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SQL for model versions; every method runs on the caller's connection and transaction. State
 * changes are conditional on the state they leave, so a change that lost a race (an upload failed
 * by a restarting replica, a version retired twice) reports false instead of overwriting.
 */
public final class VersionRepository {

  private static final String SELECT =
      "select m.tenant, m.name, v.model_id, v.version, v.state, v.reason, v.sha256, v.size_bytes,"
          + " v.signatures::text as signatures, v.created_at, v.updated_at"
          + " from model_versions v join models m on m.id = v.model_id";

  private VersionRepository() {}

  /**
   * Adds the model's next version (one above its highest so far) as UPLOADING, run by {@code
   * owner}. The caller holds the model's row lock, so that concurrent uploads get distinct numbers.
   */
  public static long insertUploading(Connection connection, long modelId, String owner)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into model_versions (model_id, version, state, upload_owner)"
                + " select ?, coalesce(max(version), 0) + 1, 'UPLOADING', ?"
                + " from model_versions where model_id = ? returning version")) {
      insert.setLong(1, modelId);
      insert.setString(2, owner);
      insert.setLong(3, modelId);
      try (ResultSet rows = insert.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  /** One version of a model. */
  public static Optional<ModelVersion> find(Connection connection, long modelId, long version)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(SELECT + " where v.model_id = ? and v.version = ?")) {
      select.setLong(1, modelId);
      select.setLong(2, version);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(read(rows)) : Optional.empty();
      }
    }
  }

  /** One version of the tenant's model of this name. */
  public static Optional<ModelVersion> find(
      Connection connection, String tenant, String model, long version) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            SELECT + " where m.tenant = ? and m.name = ? and v.version = ?")) {
      select.setString(1, tenant);
      select.setString(2, model);
      select.setLong(3, version);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(read(rows)) : Optional.empty();
      }
    }
  }

  /** The model's versions, lowest first. */
  public static List<ModelVersion> list(Connection connection, long modelId) throws SQLException {
    List<ModelVersion> versions = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(SELECT + " where v.model_id = ? order by v.version")) {
      select.setLong(1, modelId);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          versions.add(read(rows));
        }
      }
    }
    return versions;
  }

  /** UPLOADING → VALIDATING; false if the version is no longer uploading. */
  public static boolean startValidating(Connection connection, long modelId, long version)
      throws SQLException {
    return update(
        connection,
        "update model_versions set state = 'VALIDATING', updated_at = now()"
            + " where model_id = ? and version = ? and state = 'UPLOADING'",
        modelId,
        version);
  }

  /** VALIDATING → READY with what validation found; false if the version is not validating. */
  public static boolean markReady(
      Connection connection,
      long modelId,
      long version,
      String sha256,
      long sizeBytes,
      List<ModelSignature> signatures)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "update model_versions set state = 'READY', reason = '', sha256 = ?, size_bytes = ?,"
                + " signatures = ?::jsonb, upload_owner = null, updated_at = now()"
                + " where model_id = ? and version = ? and state = 'VALIDATING'")) {
      update.setString(1, sha256);
      update.setLong(2, sizeBytes);
      update.setString(3, SignatureJson.write(signatures));
      update.setLong(4, modelId);
      update.setLong(5, version);
      return update.executeUpdate() == 1;
    }
  }

  /**
   * UPLOADING or VALIDATING → FAILED; {@code sha256} and {@code sizeBytes} record what was
   * received, if known. False if the upload had already ended.
   */
  public static boolean markFailed(
      Connection connection,
      long modelId,
      long version,
      String reason,
      @Nullable String sha256,
      @Nullable Long sizeBytes)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "update model_versions set state = 'FAILED', reason = ?, sha256 = ?, size_bytes = ?,"
                + " upload_owner = null, updated_at = now()"
                + " where model_id = ? and version = ? and state in ('UPLOADING', 'VALIDATING')")) {
      update.setString(1, reason);
      update.setString(2, sha256);
      if (sizeBytes == null) {
        update.setNull(3, Types.BIGINT);
      } else {
        update.setLong(3, sizeBytes);
      }
      update.setLong(4, modelId);
      update.setLong(5, version);
      return update.executeUpdate() == 1;
    }
  }

  /**
   * Locks a version's row until the transaction ends; deployments share-lock the rows of the
   * versions they use, so the two cannot race.
   */
  static void lock(Connection connection, long modelId, long version) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "select 1 from model_versions where model_id = ? and version = ? for update")) {
      select.setLong(1, modelId);
      select.setLong(2, version);
      select.executeQuery().close();
    }
  }

  /** READY → RETIRED; false if the version is not READY. */
  static boolean retire(Connection connection, long modelId, long version) throws SQLException {
    return update(
        connection,
        "update model_versions set state = 'RETIRED', updated_at = now()"
            + " where model_id = ? and version = ? and state = 'READY'",
        modelId,
        version);
  }

  /** Marks an upload as alive, so that other replicas do not take it for stale. */
  public static void touch(Connection connection, long modelId, long version) throws SQLException {
    update(
        connection,
        "update model_versions set updated_at = now()"
            + " where model_id = ? and version = ? and state = 'UPLOADING'",
        modelId,
        version);
  }

  /**
   * Fails every unfinished upload (UPLOADING or VALIDATING) that {@code owner} ran, that has no
   * owner, or that has not changed for {@code staleAfter} (by the database's clock); returns the
   * versions failed.
   */
  public static List<ModelVersion> failUnfinished(
      Connection connection, String owner, Duration staleAfter, String reason) throws SQLException {
    List<long[]> keys = new ArrayList<>();
    try (PreparedStatement update =
        connection.prepareStatement(
            "update model_versions set state = 'FAILED', reason = ?, upload_owner = null,"
                + " updated_at = now()"
                + " where state in ('UPLOADING', 'VALIDATING') and (upload_owner = ?"
                + " or upload_owner is null or updated_at < now() - ? * interval '1 millisecond')"
                + " returning model_id, version")) {
      update.setString(1, reason);
      update.setString(2, owner);
      update.setLong(3, staleAfter.toMillis());
      try (ResultSet rows = update.executeQuery()) {
        while (rows.next()) {
          keys.add(new long[] {rows.getLong(1), rows.getLong(2)});
        }
      }
    }
    List<ModelVersion> failed = new ArrayList<>();
    for (long[] key : keys) {
      find(connection, key[0], key[1]).ifPresent(failed::add);
    }
    return failed;
  }

  private static boolean update(Connection connection, String sql, long modelId, long version)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(sql)) {
      update.setLong(1, modelId);
      update.setLong(2, version);
      return update.executeUpdate() == 1;
    }
  }

  private static ModelVersion read(ResultSet rows) throws SQLException {
    return new ModelVersion(
        rows.getString("tenant"),
        rows.getString("name"),
        rows.getLong("model_id"),
        rows.getLong("version"),
        VersionState.valueOf(rows.getString("state")),
        rows.getString("reason"),
        rows.getString("sha256"),
        rows.getObject("size_bytes", Long.class),
        SignatureJson.read(rows.getString("signatures")),
        rows.getTimestamp("created_at").toInstant(),
        rows.getTimestamp("updated_at").toInstant());
  }
}
