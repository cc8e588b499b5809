package dev.maas.worker.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Version labels of requests: empty or a positive integer written in ASCII digits. */
class VersionLabelTest {

  @ParameterizedTest
  @ValueSource(strings = {"1", "7", "42", "900000000000000000"})
  void asciiPositiveIntegers_areVersions(String label) {
    assertThat(ModelDescriptions.parseVersion(label)).hasValue(Long.parseLong(label));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"0", "-1", "+1", " 1", "1.0", "v1", "\u0661", "\uff11", "\u0967", "1\u0660"})
  void otherLabels_areRefusedAsInvalidInput(String label) {
    assertThatThrownBy(() -> ModelDescriptions.parseVersion(label))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is not a version number");
  }

  @Test
  void anEmptyLabel_meansTheLatestReadyVersion() {
    assertThat(ModelDescriptions.parseVersion("")).isEmpty();
  }
}
