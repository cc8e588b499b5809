package dev.maas.sdk.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StabilityCriterionTest {

  private final StabilityCriterion criterion = StabilityCriterion.PERF_ANALYZER;

  @Test
  void threeWindowsWithinTenPercentOfTheirMeanAreStable() {
    assertThat(criterion.reached(List.of(50.0, 100.0, 95.0, 105.0), List.of(9.0, 2.0, 2.1, 1.9)))
        .isTrue();
  }

  @Test
  void fewerWindowsThanRequiredAreNotStable() {
    assertThat(criterion.reached(List.of(100.0, 100.0), List.of(2.0, 2.0))).isFalse();
  }

  @Test
  void aThroughputOutsideTheToleranceIsNotStable() {
    assertThat(criterion.reached(List.of(100.0, 100.0, 125.0), List.of(2.0, 2.0, 2.0))).isFalse();
  }

  @Test
  void aLatencyOutsideTheToleranceIsNotStable() {
    assertThat(criterion.reached(List.of(100.0, 100.0, 100.0), List.of(2.0, 2.0, 2.6))).isFalse();
  }

  @Test
  void windowsWithoutAnyCallAreNotStable() {
    assertThat(criterion.reached(List.of(0.0, 0.0, 0.0), List.of(0.0, 0.0, 0.0))).isFalse();
  }

  @Test
  void seriesOfDifferentLengthsAreRefused() {
    assertThatThrownBy(() -> criterion.reached(List.of(1.0), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 throughputs but 0 latencies");
  }
}
