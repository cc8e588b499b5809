package dev.maas.sdk.perf;

/**
 * Takes the latency of each successful call a load test measures, such as an HdrHistogram {@code
 * Recorder}. Called from many threads at once: implementations must be thread-safe and fast.
 */
@FunctionalInterface
public interface LatencyRecorder {

  /** Records one call's latency, from sending to the answer, in nanoseconds. */
  void record(long latencyNanos);
}
