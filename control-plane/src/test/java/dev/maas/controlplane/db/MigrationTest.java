package dev.maas.controlplane.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maas.controlplane.testing.ControlPlaneExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MigrationTest {

  @RegisterExtension static final ControlPlaneExtension plane = new ControlPlaneExtension();

  private static List<String> appliedVersions() throws Exception {
    List<String> versions = new ArrayList<>();
    try (Connection sql = plane.sql();
        Statement select = sql.createStatement();
        ResultSet rows =
            select.executeQuery(
                "select version from flyway_schema_history where success order by installed_rank")) {
      while (rows.next()) {
        versions.add(rows.getString(1));
      }
    }
    return versions;
  }

  @Test
  void emptyDatabaseIsMigratedToTheLatestSchema_andARestartValidatesIt() throws Exception {
    List<String> applied = appliedVersions();
    assertThat(applied).startsWith("1", "2", "3", "4");

    plane.stop();
    plane.start();

    assertThat(appliedVersions()).isEqualTo(applied);
  }

  @Test
  void aChangedMigrationIsRefusedAtStart() throws Exception {
    plane.stop();
    int checksum;
    try (Connection sql = plane.sql();
        Statement tamper = sql.createStatement();
        ResultSet rows =
            tamper.executeQuery("select checksum from flyway_schema_history where version = '1'")) {
      rows.next();
      checksum = rows.getInt(1);
      tamper.executeUpdate("update flyway_schema_history set checksum = 42 where version = '1'");
    }
    try {
      assertThatThrownBy(plane::start).hasStackTraceContaining("checksum");
    } finally {
      try (Connection sql = plane.sql();
          Statement repair = sql.createStatement()) {
        repair.executeUpdate(
            "update flyway_schema_history set checksum = " + checksum + " where version = '1'");
      }
      plane.start();
    }
  }
}
