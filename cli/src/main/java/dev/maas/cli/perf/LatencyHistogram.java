package dev.maas.cli.perf;

import dev.maas.sdk.perf.LatencyRecorder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies of one load level in an HdrHistogram (microsecond resolution, 3 significant digits),
 * recorded from many threads at once.
 */
final class LatencyHistogram implements LatencyRecorder {

  private final Recorder recorder = new Recorder(3);

  @Override
  public void record(long latencyNanos) {
    recorder.recordValue(Math.max(1, latencyNanos / 1_000));
  }

  /** What was recorded so far (and resets the recorder). */
  Histogram snapshot() {
    return recorder.getIntervalHistogram();
  }
}
