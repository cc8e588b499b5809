package dev.maas.controlplane.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.controlplane.problem.Problem;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class SqlFailuresTest {

  @Test
  void textTheDatabaseCannotStore_isTheCallersMistake() {
    RuntimeException translated =
        SqlFailures.translate(
            new SQLException("ERROR: invalid byte sequence for encoding \"UTF8\": 0x00", "22021"));

    assertThat(translated).isInstanceOf(Problem.class);
    assertThat(((Problem) translated).kind()).isEqualTo(Problem.Kind.INVALID_ARGUMENT);
    assertThat(translated).hasMessageContaining("NUL");
  }

  @Test
  void otherFailures_stayInternal() {
    assertThat(SqlFailures.translate(new SQLException("connection reset", "08006")))
        .isInstanceOf(DatabaseException.class);
  }
}
