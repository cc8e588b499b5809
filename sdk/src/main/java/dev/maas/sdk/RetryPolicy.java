package dev.maas.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * How a client retries calls that fail with UNAVAILABLE: gRPC's own retries, configured through the
 * channel's service config, with exponential backoff and jitter. Other codes are never retried
 * (RESOURCE_EXHAUSTED carries the server's own retry delay; see {@link
 * ResourceExhaustedException#retryAfter()}).
 *
 * @param maxAttempts attempts in all, the first included: 1 (no retries) to 5 (gRPC's cap)
 * @param initialBackoff the largest wait before the first retry (each wait is random up to it)
 * @param maxBackoff the largest wait before any retry
 * @param backoffMultiplier how the largest wait grows from one retry to the next
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, double backoffMultiplier) {

  /** Checks the ranges. */
  public RetryPolicy {
    if (maxAttempts < 1 || maxAttempts > 5) {
      throw new IllegalArgumentException("maxAttempts must be 1 to 5, got " + maxAttempts);
    }
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException("initialBackoff must be positive");
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff must be at least initialBackoff");
    }
    if (!(backoffMultiplier > 0) || Double.isInfinite(backoffMultiplier)) {
      throw new IllegalArgumentException("backoffMultiplier must be a positive number");
    }
  }

  /** The default: 4 attempts, waits from up to 100 ms doubling to up to 2 s. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(2), 2.0);
  }

  /** No retries: every call is tried once. */
  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ofMillis(100), Duration.ofMillis(100), 1.0);
  }
}
