package dev.maas.worker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void delaysDoubleWithJitter_upToTheCap() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      delays.add(backoff.next().toMillis());
    }

    assertThat(delays.get(0)).isBetween(50L, 100L);
    assertThat(delays.get(1)).isBetween(100L, 200L);
    assertThat(delays.get(2)).isBetween(200L, 400L);
    assertThat(delays.subList(8, 12)).allSatisfy(d -> assertThat(d).isBetween(2500L, 5000L));
  }

  @Test
  void reset_startsOverFromTheInitialDelay() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    for (int i = 0; i < 10; i++) {
      backoff.next();
    }

    backoff.reset();

    assertThat(backoff.next().toMillis()).isBetween(50L, 100L);
  }
}
