package dev.maas.cli.perf;

import dev.maas.sdk.perf.LevelResult;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One line of a perf report.
 *
 * @param concurrency calls kept in flight
 * @param throughput successful calls per second
 * @param p50Ms median latency in milliseconds
 * @param p90Ms 90th percentile latency in milliseconds
 * @param p99Ms 99th percentile latency in milliseconds
 * @param successes successful calls measured
 * @param errors failed calls measured
 * @param errorsByCode failed calls by gRPC code
 */
record LevelReport(
    int concurrency,
    double throughput,
    double p50Ms,
    double p90Ms,
    double p99Ms,
    long successes,
    long errors,
    Map<String, Long> errorsByCode) {

  static LevelReport of(LevelResult result, Histogram latencies) {
    return new LevelReport(
        result.concurrency(),
        result.throughputPerSecond(),
        millis(latencies, 50),
        millis(latencies, 90),
        millis(latencies, 99),
        result.successes(),
        result.errors(),
        result.errorsByCode());
  }

  private static double millis(Histogram histogram, double percentile) {
    return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
  }
}
