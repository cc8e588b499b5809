package dev.maas.controlplane.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run from binaries shipped in Maven artifacts, with its data kept under a
 * directory across restarts.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  /** The user (and database) the control plane connects as. */
  public static final String USER = "postgres";

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts PostgreSQL on a free loopback port over {@code dataDirectory}. */
  public static EmbeddedDatabase start(Path dataDirectory) {
    try {
      Files.createDirectories(dataDirectory);
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              // The application context stops it, after the beans that still use it.
              .setRegisterShutdownHook(false)
              .start();
      log.info("embedded PostgreSQL on port {} with data in {}", postgres.getPort(), dataDirectory);
      return new EmbeddedDatabase(postgres);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dataDirectory, e);
    }
  }

  /** The JDBC URL of the {@code postgres} database. */
  public String jdbcUrl() {
    return postgres.getJdbcUrl(USER, USER);
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      log.warn("stopping the embedded PostgreSQL failed", e);
    }
  }
}
