package dev.maas.worker.cluster;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Jittered exponential backoff: each delay is drawn from the upper half of a ceiling that doubles
 * after every failure, up to a cap, so that workers which lost the control plane together do not
 * come back in step. Thread-safe.
 */
final class Backoff {

  private final long initialMillis;
  private final long maxMillis;
  private long ceilingMillis;

  Backoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + ", " + max);
    }
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
    this.ceilingMillis = initialMillis;
  }

  /** The delay before the next attempt; each call doubles the ceiling of the one after. */
  synchronized Duration next() {
    long ceiling = ceilingMillis;
    ceilingMillis = Math.min(maxMillis, ceilingMillis * 2);
    long half = ceiling / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
  }

  /** Starts over from the initial delay, after a success. */
  synchronized void reset() {
    ceilingMillis = initialMillis;
  }
}
