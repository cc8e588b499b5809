package dev.maas.controlplane.db;

import dev.maas.controlplane.problem.Problem;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the SQL errors a caller can cause into {@link Problem}s, and a database that is down or
 * restarting into UNAVAILABLE (retryable); others stay internal.
 */
final class SqlFailures {

  private static final Logger log = LoggerFactory.getLogger(SqlFailures.class);

  /** PostgreSQL's SQLSTATE for a unique violation. */
  private static final String UNIQUE_VIOLATION = "23505";

  /**
   * PostgreSQL's SQLSTATE for text it cannot store, such as a NUL character in a name a caller
   * sent.
   */
  private static final String CHARACTER_NOT_IN_REPERTOIRE = "22021";

  private SqlFailures() {}

  /**
   * Whether {@code e} says the database cannot be reached now: SQLSTATE class 08 (connection
   * exception), 57P01 to 57P03 (shutting down, crashed, starting up), 53300 (too many connections),
   * or the pool's time-out waiting for a connection.
   */
  private static boolean databaseUnavailable(SQLException e) {
    String state = e.getSQLState();
    return e instanceof SQLTransientConnectionException
        || (state != null
            && (state.startsWith("08")
                || state.equals("57P01")
                || state.equals("57P02")
                || state.equals("57P03")
                || state.equals("53300")));
  }

  static RuntimeException translate(SQLException e) {
    if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
      return Problem.alreadyExists("already exists");
    }
    if (CHARACTER_NOT_IN_REPERTOIRE.equals(e.getSQLState())) {
      return Problem.invalid(
          "the request holds a character that cannot be stored (such as NUL);"
              + " names are printable text");
    }
    if (databaseUnavailable(e)) {
      log.warn("database unavailable (SQLSTATE {}): {}", e.getSQLState(), e.getMessage());
      return Problem.unavailable("the database is unavailable for now; retry shortly");
    }
    return new DatabaseException(e);
  }
}
