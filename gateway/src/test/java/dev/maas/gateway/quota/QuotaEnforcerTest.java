package dev.maas.gateway.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maas.gateway.snapshot.ModelRoute;
import dev.maas.gateway.snapshot.RoutingTable;
import dev.maas.gateway.snapshot.TenantEntry;
import dev.maas.gateway.snapshot.TenantQuota;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Token buckets on a manual clock. */
class QuotaEnforcerTest {

  private final AtomicLong nanos = new AtomicLong();
  private final TimeMeter time =
      new TimeMeter() {
        @Override
        public long currentTimeNanos() {
          return nanos.get();
        }

        @Override
        public boolean isWallClockBased() {
          return false;
        }
      };
  private final ModelRoute model = new ModelRoute("t", "m", 1, Map.of(), 0, new TreeMap<>());

  private static TenantEntry tenant(double rps, long burst) {
    return new TenantEntry("t", true, new TenantQuota(rps, burst, 0, 0, 0, 0));
  }

  @Test
  void bucket_refillsAtTheRate_andTellsHowLongToWait() {
    QuotaEnforcer quotas = new QuotaEnforcer(new ReplicaShare(1), time, Clock.systemUTC());
    TenantEntry tenant = tenant(10, 2);
    quotas.admit(tenant, model).close();
    quotas.admit(tenant, model).close();

    assertThatThrownBy(() -> quotas.admit(tenant, model))
        .isInstanceOfSatisfying(
            QuotaExceededException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(100)));

    nanos.addAndGet(Duration.ofMillis(100).toNanos());
    quotas.admit(tenant, model).close();
  }

  @Test
  void callRefusedForConcurrency_spendsNoRateToken() {
    QuotaEnforcer quotas = new QuotaEnforcer(new ReplicaShare(1), time, Clock.systemUTC());
    TenantEntry tenant = new TenantEntry("t", true, new TenantQuota(10, 3, 1, 0, 0, 0));
    Admission held = quotas.admit(tenant, model);
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> quotas.admit(tenant, model))
          .isInstanceOfSatisfying(
              QuotaExceededException.class,
              e -> assertThat(e.limit()).isEqualTo(QuotaExceededException.Limit.CONCURRENCY));
    }
    held.close();

    // Two tokens of the burst of three are left; the five refusals took none.
    quotas.admit(tenant, model).close();
    quotas.admit(tenant, model).close();
    assertThatThrownBy(() -> quotas.admit(tenant, model))
        .isInstanceOfSatisfying(
            QuotaExceededException.class,
            e -> assertThat(e.limit()).isEqualTo(QuotaExceededException.Limit.REQUEST_RATE));
    assertThat(quotas.inFlight("t")).isZero();
  }

  @Test
  void withTwoReplicas_theRateIsHalved() {
    QuotaEnforcer quotas = new QuotaEnforcer(new ReplicaShare(2), time, Clock.systemUTC());
    TenantEntry tenant = tenant(10, 2);
    quotas.admit(tenant, model).close();

    assertThatThrownBy(() -> quotas.admit(tenant, model))
        .isInstanceOfSatisfying(
            QuotaExceededException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(200)));
  }

  @Test
  void monthlyFigure_fromLastMonthsSnapshot_doesNotCountThisMonth() {
    Instant now = Instant.parse("2026-03-01T00:10:00Z");
    QuotaEnforcer quotas =
        new QuotaEnforcer(new ReplicaShare(1), time, Clock.fixed(now, ZoneOffset.UTC));
    quotas.onSnapshot(
        new RoutingTable(
            1, Instant.parse("2026-02-28T23:59:00Z"), List.of(), List.of(), List.of()));
    TenantEntry tenant = new TenantEntry("t", true, new TenantQuota(0, 0, 0, 0, 10, 10));

    quotas.admit(tenant, model).close();
  }

  @Test
  void admission_holdsAConcurrencySlotUntilClosed() {
    QuotaEnforcer quotas = new QuotaEnforcer(new ReplicaShare(1), time, Clock.systemUTC());
    TenantEntry tenant = new TenantEntry("t", true, new TenantQuota(0, 0, 1, 0, 0, 0));
    Admission first = quotas.admit(tenant, model);
    assertThat(quotas.inFlight("t")).isEqualTo(1);
    assertThatThrownBy(() -> quotas.admit(tenant, model))
        .isInstanceOf(QuotaExceededException.class);

    first.close();
    first.close();

    assertThat(quotas.inFlight("t")).isZero();
    quotas.admit(tenant, model).close();
  }
}
