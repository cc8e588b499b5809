package dev.maas.gateway.routing;

import java.time.Duration;

/**
 * When a worker replica is taken out of rotation: after {@code consecutiveFailures} failures in a
 * row, for {@code baseEjection}, doubling with each ejection in a row up to {@code maxEjection}.
 *
 * @param consecutiveFailures failures in a row that eject a replica
 * @param baseEjection how long the first ejection lasts
 * @param maxEjection the longest ejection
 */
public record EjectionPolicy(int consecutiveFailures, Duration baseEjection, Duration maxEjection) {

  /** The defaults: 3 failures, 5 s doubling up to 60 s. */
  public static EjectionPolicy defaults() {
    return new EjectionPolicy(3, Duration.ofSeconds(5), Duration.ofSeconds(60));
  }

  /** How long the {@code n}-th ejection in a row lasts (1 for the first). */
  Duration ejection(int n) {
    long nanos = baseEjection.toNanos() << Math.min(Math.max(0, n - 1), 20);
    return nanos <= 0 || nanos > maxEjection.toNanos() ? maxEjection : Duration.ofNanos(nanos);
  }
}
