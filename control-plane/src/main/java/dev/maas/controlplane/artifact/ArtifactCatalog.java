package dev.maas.controlplane.artifact;

import dev.maas.controlplane.db.Database;
import dev.maas.controlplane.problem.Problem;
import dev.maas.controlplane.quota.QuotaService;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which artifacts each tenant owns: rows in {@code artifacts}, files in the {@link ArtifactStore}.
 * Storing, collecting and sweeping a tenant's artifacts happen under the tenant's artifact lock, so
 * a row always has its file once its transaction commits, and a file in use is never deleted.
 */
@Singleton
public final class ArtifactCatalog {

  private static final Logger log = LoggerFactory.getLogger(ArtifactCatalog.class);

  private final Database database;
  private final ArtifactStore store;
  private final QuotaService quotas;

  public ArtifactCatalog(Database database, ArtifactStore store, QuotaService quotas) {
    this.database = database;
    this.store = store;
    this.quotas = quotas;
  }

  /** Bytes of the tenant's stored artifacts: what counts against its max_storage_bytes quota. */
  public long usedBytes(Connection connection, String tenant) throws SQLException {
    return ArtifactRepository.usedBytes(connection, tenant);
  }

  /**
   * Stores {@code plaintext} as the tenant's artifact {@code sha256}, unless the tenant has it
   * already (then it is stored once), and runs {@code andThen} in the transaction that records it;
   * returns what that returns. The file is written before the transaction, so no connection is held
   * while it is encrypted; the transaction holds the tenant's artifact lock and writes it again
   * only if a concurrent clean-up removed it meanwhile.
   *
   * @throws Problem RESOURCE_EXHAUSTED when a new artifact would take the tenant's stored bytes
   *     past its max_storage_bytes quota
   * @throws UncheckedIOException when the file cannot be written
   */
  public <T> T store(
      String tenant, String sha256, long sizeBytes, Path plaintext, Database.Work<T> andThen) {
    boolean stored =
        database.transaction(c -> ArtifactRepository.exists(c, tenant, sha256))
            && store.exists(tenant, sha256);
    if (!stored) {
      // Replaces any file left without a row (say, of a deleted tenant, under an old key).
      put(tenant, sha256, plaintext);
    }
    return database.transaction(
        connection -> {
          ArtifactRepository.lock(connection, tenant);
          boolean recorded = ArtifactRepository.exists(connection, tenant, sha256);
          if (!recorded) {
            long used = ArtifactRepository.usedBytes(connection, tenant);
            long limit = quotas.effective(connection, tenant).maxStorageBytes();
            if (used + sizeBytes > limit) {
              deleteFile(tenant, sha256);
              throw storageExhausted(tenant, used, limit);
            }
          }
          if (!store.exists(tenant, sha256)) {
            put(tenant, sha256, plaintext);
          }
          if (recorded) {
            return andThen.run(connection);
          }
          ArtifactRepository.insert(connection, tenant, sha256, sizeBytes);
          try {
            return andThen.run(connection);
          } catch (SQLException | RuntimeException e) {
            // The row rolls back; under the lock still, its file goes too.
            deleteFile(tenant, sha256);
            throw e;
          }
        });
  }

  /** Deletes the tenant's artifacts that no READY or RETIRED version uses; returns how many. */
  public int collectGarbage(String tenant) {
    return database.transaction(
        connection -> {
          ArtifactRepository.lock(connection, tenant);
          int deleted = 0;
          for (String sha256 : ArtifactRepository.unreferenced(connection, tenant)) {
            // The file goes first: a row without a file is rewritten by the next store.
            deleteFile(tenant, sha256);
            ArtifactRepository.delete(connection, tenant, sha256);
            deleted++;
          }
          return deleted;
        });
  }

  /**
   * Deletes stored files that no row records (left by a crash between writing and committing, or by
   * deleted tenants); returns how many.
   */
  public int removeOrphans() {
    Set<String> tenants;
    try {
      tenants = store.tenants();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the artifact store", e);
    }
    int removed = 0;
    for (String tenant : tenants) {
      removed +=
          database.transaction(
              connection -> {
                ArtifactRepository.lock(connection, tenant);
                Set<String> recorded = ArtifactRepository.list(connection, tenant);
                Set<String> files = listFiles(tenant);
                int deleted = 0;
                for (String sha256 : files) {
                  if (!recorded.contains(sha256)) {
                    deleteFile(tenant, sha256);
                    deleted++;
                  }
                }
                recorded.stream()
                    .filter(sha256 -> !files.contains(sha256))
                    .forEach(
                        sha256 ->
                            log.error(
                                "artifact {} of tenant {} is recorded but missing",
                                sha256,
                                tenant));
                return deleted;
              });
    }
    return removed;
  }

  /** The answer to an upload that would take a tenant past its max_storage_bytes quota. */
  public static Problem storageExhausted(String tenant, long usedBytes, long storageLimit) {
    return Problem.resourceExhausted(
        "the upload would take tenant '"
            + tenant
            + "' past its max_storage_bytes quota of "
            + storageLimit
            + " bytes ("
            + usedBytes
            + " in use); delete models or raise the quota");
  }

  private void put(String tenant, String sha256, Path plaintext) {
    try {
      store.put(tenant, sha256, plaintext);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store artifact " + sha256 + " of " + tenant, e);
    }
  }

  private Set<String> listFiles(String tenant) {
    try {
      return store.list(tenant);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the artifacts of " + tenant, e);
    }
  }

  private void deleteFile(String tenant, String sha256) {
    try {
      store.delete(tenant, sha256);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete artifact " + sha256 + " of " + tenant, e);
    }
  }
}
