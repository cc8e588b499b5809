package dev.maas.controlplane.cluster;

import dev.maas.controlplane.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership among control-plane replicas: a PostgreSQL session advisory lock held on a connection
 * of its own. Whoever holds it leads; if the holder dies, its session ends and the lock passes to
 * the next replica that asks. Not thread-safe: one caller thread.
 */
final class LeaderLock implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LeaderLock.class);

  /** The lock's key: any constant shared by every replica. */
  private static final long KEY = 0x6d61617301L;

  private final Database database;
  private Connection connection;

  LeaderLock(Database database) {
    this.database = database;
  }

  /** Whether this replica leads now, trying to take the lock if it does not. */
  boolean holds() {
    try {
      if (connection != null && connection.isValid(1)) {
        return true;
      }
      closeQuietly();
      Connection candidate = database.dataSource().getConnection();
      candidate.setAutoCommit(true);
      try (PreparedStatement lock = candidate.prepareStatement("select pg_try_advisory_lock(?)")) {
        lock.setLong(1, KEY);
        try (ResultSet rows = lock.executeQuery()) {
          rows.next();
          if (rows.getBoolean(1)) {
            connection = candidate;
            log.info("this control plane now leads placement");
            return true;
          }
        }
      }
      candidate.close();
      return false;
    } catch (SQLException e) {
      log.warn("leader lock check failed: {}", e.getMessage());
      closeQuietly();
      return false;
    }
  }

  /** Releases the lock before the connection goes back to the pool, whose session outlives it. */
  private void closeQuietly() {
    if (connection != null) {
      try (PreparedStatement unlock = connection.prepareStatement("select pg_advisory_unlock(?)")) {
        unlock.setLong(1, KEY);
        unlock.execute();
      } catch (SQLException e) {
        log.debug("releasing the leader lock failed; its session is gone", e);
      }
      try {
        connection.close();
      } catch (SQLException e) {
        log.debug("closing the leader connection failed", e);
      }
      connection = null;
    }
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
