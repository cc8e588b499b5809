package dev.maas.bench;

import org.HdrHistogram.Histogram;

/**
 * What one measurement window counted.
 *
 * @param seconds how long it lasted
 * @param requests requests answered successfully within it
 * @param errors requests that failed within it
 * @param firstError the first failure's text, or empty
 * @param latencyNanos the successful requests' latencies
 */
record Window(
    double seconds, long requests, long errors, String firstError, Histogram latencyNanos) {

  /** Requests per second. */
  double throughput() {
    return seconds > 0 ? requests / seconds : 0;
  }

  /** Median latency in nanoseconds, 0 without requests. */
  double medianNanos() {
    return latencyNanos.getTotalCount() == 0 ? 0 : latencyNanos.getValueAtPercentile(50);
  }

  /** Runs one window of load; the first run of a point is its warm-up and is not counted. */
  @FunctionalInterface
  interface Runner {
    Window run(java.time.Duration length) throws InterruptedException;
  }
}
