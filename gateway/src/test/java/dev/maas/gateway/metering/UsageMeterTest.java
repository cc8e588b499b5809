package dev.maas.gateway.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageMeterTest {

  @Test
  void callsAggregatePerKeyAndHour_andADrainTakesThemOnce() {
    UsageMeter meter =
        new UsageMeter(Clock.fixed(Instant.parse("2026-05-01T12:34:56Z"), ZoneOffset.UTC));
    meter.record("t", "m", 1, new UsageCounts(1, 0, 1, 10, 20, 3));
    meter.record("t", "m", 1, new UsageCounts(1, 1, 0, 5, 0, 2));
    meter.record("t", "m", 2, new UsageCounts(1, 0, 1, 1, 1, 1));

    Map<UsageKey, UsageCounts> drained = meter.drain();

    UsageKey key = new UsageKey("t", "m", 1, Instant.parse("2026-05-01T12:00:00Z"));
    assertThat(drained).hasSize(2).containsEntry(key, new UsageCounts(2, 1, 1, 15, 20, 5));
    assertThat(meter.drain()).isEmpty();
  }

  @Test
  void tenantLabels_areBounded() {
    TenantLabels labels = new TenantLabels(2);
    assertThat(labels.of("a")).isEqualTo("a");
    assertThat(labels.of("b")).isEqualTo("b");
    assertThat(labels.of("c")).isEqualTo(TenantLabels.OTHER);
    assertThat(labels.of("a")).isEqualTo("a");
  }
}
