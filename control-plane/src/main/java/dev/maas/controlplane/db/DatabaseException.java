package dev.maas.controlplane.db;

import java.sql.SQLException;

/** A database failure the caller did not cause; answered INTERNAL, logged in full. */
public final class DatabaseException extends RuntimeException {

  public DatabaseException(SQLException cause) {
    super("database failure: " + cause.getMessage(), cause);
  }
}
