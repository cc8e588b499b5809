package dev.maas.controlplane.deployment;

import dev.maas.controlplane.testing.ControlPlaneExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Inserts models and versions straight into the database, as the model feature would. */
final class ModelRows {

  private final ControlPlaneExtension plane;

  ModelRows(ControlPlaneExtension plane) {
    this.plane = plane;
  }

  /** Inserts a model of {@code tenant} with versions 1..n in the given states; returns its id. */
  long model(String tenant, String name, String... versionStates) throws SQLException {
    try (Connection sql = plane.sql()) {
      long id;
      try (PreparedStatement insert =
          sql.prepareStatement("insert into models (tenant, name) values (?, ?) returning id")) {
        insert.setString(1, tenant);
        insert.setString(2, name);
        try (ResultSet rows = insert.executeQuery()) {
          rows.next();
          id = rows.getLong(1);
        }
      }
      for (int i = 0; i < versionStates.length; i++) {
        try (PreparedStatement insert =
            sql.prepareStatement(
                "insert into model_versions (model_id, version, state) values (?, ?, ?)")) {
          insert.setLong(1, id);
          insert.setLong(2, i + 1);
          insert.setString(3, versionStates[i]);
          insert.executeUpdate();
        }
      }
      return id;
    }
  }

  /** Sets the state of one version. */
  void setState(long modelId, long version, String state) throws SQLException {
    try (Connection sql = plane.sql();
        PreparedStatement update =
            sql.prepareStatement(
                "update model_versions set state = ? where model_id = ? and version = ?")) {
      update.setString(1, state);
      update.setLong(2, modelId);
      update.setLong(3, version);
      if (update.executeUpdate() != 1) {
        throw new IllegalStateException("no version " + version + " of model " + modelId);
      }
    }
  }
}
