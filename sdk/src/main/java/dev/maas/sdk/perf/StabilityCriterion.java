package dev.maas.sdk.perf;

import java.util.List;

/**
 * When repeated measurement windows count as stable, as Triton's perf_analyzer decides it: the last
 * {@code windows} windows' throughput and latency each lie within {@code tolerance} of their mean.
 *
 * @param windows how many consecutive windows must agree (perf_analyzer: 3)
 * @param tolerance the largest relative deviation from the mean, such as 0.10 for 10 %
 */
public record StabilityCriterion(int windows, double tolerance) {

  /** Three windows within 10 %, perf_analyzer's default. */
  public static final StabilityCriterion PERF_ANALYZER = new StabilityCriterion(3, 0.10);

  /** Checks the fields. */
  public StabilityCriterion {
    if (windows < 1) {
      throw new IllegalArgumentException("windows must be at least 1, got " + windows);
    }
    if (!(tolerance >= 0)) {
      throw new IllegalArgumentException("tolerance must be >= 0, got " + tolerance);
    }
  }

  /**
   * Whether the last {@link #windows()} entries of both series agree; false while there are fewer.
   *
   * @param throughputs each window's throughput, oldest first
   * @param latencies each window's latency (such as its median), oldest first, as many as
   *     throughputs
   */
  public boolean reached(List<Double> throughputs, List<Double> latencies) {
    if (throughputs.size() != latencies.size()) {
      throw new IllegalArgumentException(
          throughputs.size() + " throughputs but " + latencies.size() + " latencies");
    }
    return agree(throughputs) && agree(latencies);
  }

  private boolean agree(List<Double> series) {
    if (series.size() < windows) {
      return false;
    }
    List<Double> last = series.subList(series.size() - windows, series.size());
    double mean = last.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    if (mean <= 0) {
      return false;
    }
    return last.stream().allMatch(value -> Math.abs(value - mean) <= tolerance * mean);
  }
}
