package dev.maas.sdk.perf;

import java.time.Duration;
import java.util.Map;

/**
 * What one concurrency level of a load test measured (warm-up excluded).
 *
 * @param concurrency calls kept in flight
 * @param measured the measurement window
 * @param successes calls sent and answered within the window
 * @param errors calls sent within the window that failed, in all
 * @param errorsByCode failed calls by gRPC code name
 * @param firstError the message of the first failure, or empty
 */
public record LevelResult(
    int concurrency,
    Duration measured,
    long successes,
    long errors,
    Map<String, Long> errorsByCode,
    String firstError) {

  /** Copies the map. */
  public LevelResult {
    errorsByCode = Map.copyOf(errorsByCode);
  }

  /** Successful calls per second over the window. */
  public double throughputPerSecond() {
    double seconds = measured.toNanos() / 1e9;
    return seconds > 0 ? successes / seconds : 0;
  }
}
