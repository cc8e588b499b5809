package dev.maas.gateway.snapshot;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for reconnecting to the control plane: the n-th consecutive
 * failure waits between half and all of {@code min(max, initial * 2^n)}.
 *
 * @param initial the wait after the first failure
 * @param max the longest wait
 */
public record ReconnectBackoff(Duration initial, Duration max) {

  /** The wait after {@code failures} consecutive failures (0 for the first). */
  public Duration delay(int failures) {
    long ceiling = max.toMillis();
    long base = initial.toMillis() << Math.min(failures, 20);
    long capped = Math.max(1, Math.min(ceiling, base));
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }
}
