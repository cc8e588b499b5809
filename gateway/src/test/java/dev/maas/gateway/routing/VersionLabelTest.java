package dev.maas.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class VersionLabelTest {

  @Test
  void positiveIntegersInAsciiDigits_areVersions() {
    assertThat(ModelResolver.parseVersion("1")).isEqualTo(1);
    assertThat(ModelResolver.parseVersion("042")).isEqualTo(42);
    assertThat(ModelResolver.parseVersion("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void otherScriptsDigits_signs_spacesAndOverflow_areInvalid() {
    List<String> labels =
        List.of(
            "\u0661",
            "\uff11",
            "\u0967",
            "+1",
            "-1",
            "0",
            " 1",
            "1 ",
            "1.0",
            "0x1",
            "9223372036854775808",
            "99999999999999999999",
            "1/../2");
    for (String label : labels) {
      assertThatThrownBy(() -> ModelResolver.parseVersion(label))
          .as(label)
          .isInstanceOf(InvalidRequestException.class)
          .hasMessage("model version must be a positive integer, got '" + label + "'");
    }
  }
}
