package dev.maas.controlplane.db;

import dev.maas.controlplane.problem.Problem;
import java.sql.SQLException;

/** Turns the SQL errors a caller can cause into {@link Problem}s; others stay internal. */
final class SqlFailures {

  /** PostgreSQL's SQLSTATE for a unique violation. */
  private static final String UNIQUE_VIOLATION = "23505";

  /**
   * PostgreSQL's SQLSTATE for text it cannot store, such as a NUL character in a name a caller
   * sent.
   */
  private static final String CHARACTER_NOT_IN_REPERTOIRE = "22021";

  private SqlFailures() {}

  static RuntimeException translate(SQLException e) {
    if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
      return Problem.alreadyExists("already exists");
    }
    if (CHARACTER_NOT_IN_REPERTOIRE.equals(e.getSQLState())) {
      return Problem.invalid(
          "the request holds a character that cannot be stored (such as NUL);"
              + " names are printable text");
    }
    return new DatabaseException(e);
  }
}
