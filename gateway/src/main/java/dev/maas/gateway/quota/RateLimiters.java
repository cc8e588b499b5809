package dev.maas.gateway.quota;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Token buckets by key (a tenant, or a tenant and a model). A bucket is made on first use and made
 * anew when its limit changes in a snapshot. Thread-safe; buckets are lock-free.
 */
final class RateLimiters {

  /** Key of one bucket; {@code model} is empty for the tenant's own bucket. */
  record Key(String tenant, String model) {}

  /** A bucket's limit: {@code tokensPerSecond} refilled greedily into {@code capacity}. */
  record Limit(double tokensPerSecond, long capacity) {}

  private record Limited(Limit limit, Bucket bucket) {}

  private final TimeMeter time;
  private final ConcurrentMap<Key, Limited> buckets = new ConcurrentHashMap<>();

  RateLimiters(TimeMeter time) {
    this.time = time;
  }

  /**
   * Takes one token from the bucket of {@code key}.
   *
   * @return {@link Duration#ZERO} when a token was taken, else how long until one is free
   */
  Duration tryTake(Key key, Limit limit) {
    Limited limited =
        buckets.compute(
            key,
            (k, old) ->
                old != null && old.limit().equals(limit) ? old : new Limited(limit, bucket(limit)));
    ConsumptionProbe probe = limited.bucket().tryConsumeAndReturnRemaining(1);
    return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill());
  }

  /** Drops the buckets of tenants and models that are gone. */
  void retain(Set<Key> live) {
    buckets.keySet().retainAll(live);
  }

  private Bucket bucket(Limit limit) {
    long nanosPerToken = Math.max(1, Math.round(1e9 / limit.tokensPerSecond()));
    return Bucket.builder()
        .addLimit(
            bandwidth ->
                bandwidth
                    .capacity(Math.max(1, limit.capacity()))
                    .refillGreedy(1, Duration.ofNanos(nanosPerToken)))
        .withCustomTimePrecision(time)
        .build();
  }
}
