package dev.maas.sdk.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConcurrencyScheduleTest {

  @Test
  void multiplyingRangeDoublesUpToTheEnd() {
    assertThat(ConcurrencySchedule.parse("1:64:x2").levels())
        .containsExactly(1, 2, 4, 8, 16, 32, 64);
    assertThat(ConcurrencySchedule.parse("3:20:x2").levels()).containsExactly(3, 6, 12);
  }

  @Test
  void addingRangeStepsByItsStepOrOne() {
    assertThat(ConcurrencySchedule.parse("4:16:4").levels()).containsExactly(4, 8, 12, 16);
    assertThat(ConcurrencySchedule.parse("1:3").levels()).containsExactly(1, 2, 3);
  }

  @Test
  void singleNumbersAndListsAreLevelsAsGiven() {
    assertThat(ConcurrencySchedule.parse("8").levels()).containsExactly(8);
    assertThat(ConcurrencySchedule.parse("1, 8,32").levels()).containsExactly(1, 8, 32);
  }

  @Test
  void malformedRangesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> ConcurrencySchedule.parse("a:4"))
        .hasMessageContaining("'a' is no number");
    assertThatThrownBy(() -> ConcurrencySchedule.parse("8:1")).hasMessageContaining("below");
    assertThatThrownBy(() -> ConcurrencySchedule.parse("1:8:x1")).hasMessageContaining("step");
    assertThatThrownBy(() -> ConcurrencySchedule.parse("0")).hasMessageContaining("at least 1");
  }
}
