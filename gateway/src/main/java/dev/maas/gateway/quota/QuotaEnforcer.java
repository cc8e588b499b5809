package dev.maas.gateway.quota;

import dev.maas.gateway.quota.QuotaExceededException.Limit;
import dev.maas.gateway.snapshot.ModelRoute;
import dev.maas.gateway.snapshot.RoutingTable;
import dev.maas.gateway.snapshot.TenantEntry;
import dev.maas.gateway.snapshot.TenantQuota;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;

/**
 * Enforces the tenants' limits on this gateway: request size, monthly requests, the tenant's token
 * bucket, the model's token bucket, and calls in flight. Rates, bursts and concurrency are this
 * gateway's {@link ReplicaShare} of the cluster-wide limits; size and monthly requests are not
 * divided. Thread-safe.
 */
public final class QuotaEnforcer {

  /** How long a caller refused for concurrency is told to wait. */
  static final Duration CONCURRENCY_RETRY_AFTER = Duration.ofMillis(50);

  private final ReplicaShare share;
  private final RateLimiters rates;
  private final ConcurrencyLimiter concurrency = new ConcurrencyLimiter();
  private final MonthlyCounter monthly;
  private final Clock clock;

  /**
   * An enforcer.
   *
   * @param time the token buckets' clock (tests may pass a manual one)
   * @param clock the wall clock that decides the month
   */
  public QuotaEnforcer(ReplicaShare share, TimeMeter time, Clock clock) {
    this.share = share;
    this.rates = new RateLimiters(time);
    this.monthly = new MonthlyCounter(clock);
    this.clock = clock;
  }

  /**
   * Refuses a request larger than the tenant's limit; called on the raw size, before parsing.
   *
   * @throws QuotaExceededException with {@link Limit#REQUEST_BYTES}
   */
  public void checkRequestBytes(TenantEntry tenant, long requestBytes) {
    long max = tenant.quota().maxRequestBytes();
    if (max > 0 && requestBytes > max) {
      throw new QuotaExceededException(
          Limit.REQUEST_BYTES,
          "request of " + requestBytes + " bytes exceeds the limit of " + max + " bytes",
          Duration.ZERO,
          false);
    }
  }

  /**
   * Admits one call of {@code tenant} to {@code model}, or refuses it.
   *
   * @return the admission, to close when the call ends
   * @throws QuotaExceededException the limit that refused it
   */
  public Admission admit(TenantEntry tenant, ModelRoute model) {
    TenantQuota quota = tenant.quota();
    if (monthly.isExhausted(tenant.name(), quota)) {
      throw new QuotaExceededException(
          Limit.MONTHLY_REQUESTS,
          "monthly request quota of " + quota.monthlyRequests() + " used up",
          untilNextMonth(),
          false);
    }
    // The slot is taken before a rate token: a call refused for concurrency spends no token, so a
    // burst of calls that wait for slots is still admitted up to the bucket's size.
    ConcurrencyLimiter.Slot slot =
        concurrency.tryAcquire(tenant.name(), share.count(quota.maxConcurrentRequests()));
    if (slot == null) {
      throw new QuotaExceededException(
          Limit.CONCURRENCY, "too many concurrent requests", CONCURRENCY_RETRY_AFTER, true);
    }
    try {
      if (quota.requestsPerSecond() > 0) {
        Duration wait =
            rates.tryTake(
                new RateLimiters.Key(tenant.name(), ""),
                new RateLimiters.Limit(
                    share.rate(quota.requestsPerSecond()),
                    share.count(
                        quota.burst() > 0 ? quota.burst() : ceil(quota.requestsPerSecond()))));
        refuseIfWaiting(wait, Limit.REQUEST_RATE, "request rate limit exceeded");
      }
      if (model.rateLimitRps() > 0) {
        Duration wait =
            rates.tryTake(
                new RateLimiters.Key(tenant.name(), model.name()),
                new RateLimiters.Limit(
                    share.rate(model.rateLimitRps()), share.count(ceil(model.rateLimitRps()))));
        refuseIfWaiting(
            wait, Limit.MODEL_RATE, "request rate limit of model " + model.name() + " exceeded");
      }
    } catch (QuotaExceededException e) {
      slot.release();
      throw e;
    }
    monthly.count(tenant.name());
    return new Admission(slot);
  }

  /** Calls of {@code tenant} in flight now, on this gateway. */
  public long inFlight(String tenant) {
    return concurrency.inFlight(tenant);
  }

  /** Takes in a new snapshot: resets the monthly count and drops buckets of what is gone. */
  public void onSnapshot(RoutingTable table) {
    monthly.onSnapshot(table);
    Set<RateLimiters.Key> live = new HashSet<>();
    table
        .tenantNames()
        .forEach(
            tenant -> {
              live.add(new RateLimiters.Key(tenant, ""));
              table.modelsOf(tenant).forEach(m -> live.add(new RateLimiters.Key(tenant, m.name())));
            });
    rates.retain(live);
  }

  private static void refuseIfWaiting(Duration wait, Limit limit, String message) {
    if (!wait.isZero()) {
      throw new QuotaExceededException(limit, message, wait, true);
    }
  }

  private Duration untilNextMonth() {
    Instant start = monthly.month().plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    return Duration.between(clock.instant(), start);
  }

  private static long ceil(double value) {
    return (long) Math.ceil(value);
  }
}
