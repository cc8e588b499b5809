package dev.maas.gateway.forwarding;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a call that a worker could not take is retried on another replica: at most {@code
 * maxAttempts} attempts in all, waiting a random time up to {@code min(maxBackoff, initialBackoff *
 * 2^(n-1))} before the n-th retry ("full jitter"), and never past the call's deadline.
 *
 * @param maxAttempts attempts in all, the first included; at least 1
 * @param initialBackoff the ceiling of the first wait
 * @param maxBackoff the ceiling of every wait
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
  }

  /** The defaults: 3 attempts, waits up to 10 ms doubling to 200 ms. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(200));
  }

  /** The wait before retry {@code n} (1 for the first retry). */
  public Duration backoff(int n) {
    long ceiling =
        Math.min(
            maxBackoff.toNanos(), initialBackoff.toNanos() << Math.min(Math.max(0, n - 1), 20));
    return Duration.ofNanos(ThreadLocalRandom.current().nextLong(Math.max(1, ceiling) + 1));
  }
}
