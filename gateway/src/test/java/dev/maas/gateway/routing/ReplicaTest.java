package dev.maas.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The ejection state machine of one replica, on a manual clock. */
class ReplicaTest {

  private static final long SECOND = 1_000_000_000L;
  private final Replica replica =
      new Replica(
          "w:1", null, new EjectionPolicy(3, Duration.ofSeconds(10), Duration.ofSeconds(40)));

  @Test
  void consecutiveFailures_ejectForTheBaseTime() {
    assertThat(replica.onFailure(0)).isFalse();
    assertThat(replica.onFailure(0)).isFalse();
    assertThat(replica.onFailure(0)).isTrue();

    assertThat(replica.isAvailable(9 * SECOND)).isFalse();
    assertThat(replica.isAvailable(10 * SECOND)).isTrue();
  }

  @Test
  void aSuccessInBetween_resetsTheCount() {
    replica.onFailure(0);
    replica.onFailure(0);
    replica.onSuccess();
    assertThat(replica.onFailure(0)).isFalse();
    assertThat(replica.isAvailable(0)).isTrue();
  }

  @Test
  void failedProbe_ejectsAgainForTwiceAsLong_upToTheMaximum() {
    replica.onFailure(0);
    replica.onFailure(0);
    replica.onFailure(0);

    assertThat(replica.onFailure(10 * SECOND)).isTrue();
    assertThat(replica.isAvailable(29 * SECOND)).isFalse();
    assertThat(replica.isAvailable(30 * SECOND)).isTrue();

    assertThat(replica.onFailure(30 * SECOND)).isTrue();
    assertThat(replica.isAvailable(69 * SECOND)).isFalse();
    assertThat(replica.onFailure(70 * SECOND)).isTrue();
    assertThat(replica.isAvailable(110 * SECOND)).isTrue();
  }

  @Test
  void successfulProbe_putsTheReplicaBack() {
    replica.onFailure(0);
    replica.onFailure(0);
    replica.onFailure(0);
    replica.onSuccess();

    assertThat(replica.isAvailable(1)).isTrue();
    assertThat(replica.onFailure(1)).isFalse();
  }

  @Test
  void failureOfACallSentBeforeTheEjection_doesNotExtendIt() {
    replica.onFailure(0);
    replica.onFailure(0);
    replica.onFailure(0);
    assertThat(replica.onFailure(SECOND)).isFalse();
    assertThat(replica.isAvailable(10 * SECOND)).isTrue();
  }
}
