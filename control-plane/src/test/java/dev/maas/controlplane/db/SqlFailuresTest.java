package dev.maas.controlplane.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.controlplane.problem.Problem;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  @ParameterizedTest
  @ValueSource(strings = {"08006", "08001", "57P01", "57P03", "53300"})
  void aDatabaseThatIsDownOrRestarting_isUnavailable_soCallersRetry(String sqlState) {
    RuntimeException translated =
        SqlFailures.translate(new SQLException("connection reset", sqlState));

    assertThat(translated).isInstanceOf(Problem.class);
    assertThat(((Problem) translated).kind()).isEqualTo(Problem.Kind.UNAVAILABLE);
    assertThat(translated).hasMessageContaining("retry");
  }

  @Test
  void thePoolsTimeOutWaitingForAConnection_isUnavailable() {
    RuntimeException translated =
        SqlFailures.translate(new SQLTransientConnectionException("pool timed out"));

    assertThat(((Problem) translated).kind()).isEqualTo(Problem.Kind.UNAVAILABLE);
  }

  @Test
  void otherFailures_stayInternal() {
    assertThat(SqlFailures.translate(new SQLException("division by zero", "22012")))
        .isInstanceOf(DatabaseException.class);
    assertThat(SqlFailures.translate(new SQLException("no state")))
        .isInstanceOf(DatabaseException.class);
  }
}
