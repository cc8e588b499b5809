package dev.maas.controlplane.db;

import dev.maas.controlplane.problem.Problem;
import java.sql.SQLException;

/** Turns the SQL errors a caller can cause into {@link Problem}s; others stay internal. */
final class SqlFailures {

  /** PostgreSQL's SQLSTATE for a unique violation. */
  private static final String UNIQUE_VIOLATION = "23505";

  private SqlFailures() {}

  static RuntimeException translate(SQLException e) {
    if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
      return Problem.alreadyExists("already exists");
    }
    return new DatabaseException(e);
  }
}
