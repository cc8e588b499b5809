package dev.maas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maas.cli.output.Table;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DurationsAndTableTest {

  @Test
  void durationsTakeTheUsualUnits() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Durations.parse("1.5m")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("30d")).isEqualTo(Duration.ofDays(30));
    assertThatThrownBy(() -> Durations.parse("10")).hasMessageContaining("not a duration");
  }

  @Test
  void instantsAreIsoOrADurationBack() {
    Instant now = Instant.parse("2024-03-02T00:00:00Z");

    assertThat(Durations.instant("24h", now)).isEqualTo(Instant.parse("2024-03-01T00:00:00Z"));
    assertThat(Durations.instant("2024-01-01T00:00:00Z", now))
        .isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
    assertThatThrownBy(() -> Durations.instant("yesterday", now))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tablesAlignTheirColumns() {
    StringWriter text = new StringWriter();

    Table.of("NAME", "STATUS")
        .row("a", "ACTIVE")
        .row("longer-name", null)
        .print(new PrintWriter(text));

    assertThat(text.toString().lines())
        .containsExactly("NAME         STATUS", "a            ACTIVE", "longer-name  -");
  }
}
