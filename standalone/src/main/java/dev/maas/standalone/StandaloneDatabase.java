package dev.maas.standalone;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL of the standalone platform, in {@code <data-dir>/postgres} as the control
 * plane keeps its own, but owned here: it registers no shutdown hook of its own, so on Ctrl-C it
 * stops only after the gateway, the worker and the control plane have drained (the gateway's last
 * usage report still reaches the database).
 */
final class StandaloneDatabase implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StandaloneDatabase.class);

  /** The database and user the control plane connects as, as its own embedded mode does. */
  static final String USER = "postgres";

  private final EmbeddedPostgres postgres;

  private StandaloneDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts PostgreSQL on a free loopback port over {@code directory}, keeping existing data. */
  static StandaloneDatabase start(Path directory) {
    try {
      Files.createDirectories(directory);
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(directory)
              .setCleanDataDirectory(false)
              .setRegisterShutdownHook(false)
              .start();
      log.info("embedded PostgreSQL on port {} with data in {}", postgres.getPort(), directory);
      return new StandaloneDatabase(postgres);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + directory, e);
    }
  }

  /** The JDBC URL of the {@code postgres} database. */
  String jdbcUrl() {
    return postgres.getJdbcUrl(USER, USER);
  }

  /** Stops PostgreSQL (a fast shutdown: open sessions are ended, data is flushed). */
  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      log.warn("stopping the embedded PostgreSQL failed", e);
    }
  }
}
