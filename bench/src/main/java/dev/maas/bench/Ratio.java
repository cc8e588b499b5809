package dev.maas.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One target ratio of issue 7 for one model, computed from points of the same run.
 *
 * @param id G1 to G6
 * @param model the demo model
 * @param definition what is divided by what
 * @param value the ratio; NaN when a point it needs was not measured
 * @param target the target as text
 * @param met whether the target is met
 * @param note extra figures (the absolute difference for G2)
 */
record Ratio(
    String id,
    String model,
    String definition,
    double value,
    String target,
    boolean met,
    String note) {

  /** Concurrency and batch size the ratios are defined at. */
  static final int LEVEL = 32;

  /** The client batch of G1. */
  static final int BIG_BATCH = 64;

  /** G1 to G6 of {@code model} from {@code results}. */
  static List<Ratio> of(String model, List<ArmResult> results) {
    Points points = new Points(model, results);
    List<Ratio> ratios = new ArrayList<>();
    double g1 =
        points.ratio(points.get("C-batch64", BIG_BATCH, -1), points.get("A", BIG_BATCH, 1), true);
    ratios.add(
        new Ratio(
            "G1",
            model,
            "samples/s through C at client batch 64 ÷ A at batch 64",
            g1,
            "≥ 0.80",
            g1 >= 0.80,
            ""));
    Optional<ArmResult> c1 = points.get("C", 1, 1);
    Optional<ArmResult> b1 = points.get("B", 1, 1);
    double g2 = points.latencyRatio(c1, b1, 50);
    double difference =
        c1.isPresent() && b1.isPresent() ? c1.get().p50Micros() - b1.get().p50Micros() : Double.NaN;
    ratios.add(
        new Ratio(
            "G2",
            model,
            "p50 latency C ÷ B at concurrency 1, batch 1",
            g2,
            "≤ 1.25 and difference ≤ 150 µs",
            g2 <= 1.25 && difference <= 150,
            String.format("difference %.0f µs", difference)));
    double g3 = points.ratio(points.get("C", 1, LEVEL), points.get("B", 1, LEVEL), true);
    ratios.add(
        new Ratio(
            "G3",
            model,
            "throughput C ÷ B at concurrency 32, batching off",
            g3,
            "≥ 0.85",
            g3 >= 0.85,
            ""));
    double g4 = points.ratio(points.get("D", 1, LEVEL), points.get("C", 1, LEVEL), true);
    ratios.add(
        new Ratio(
            "G4",
            model,
            "throughput D ÷ C at concurrency 32 (batch-1 requests)",
            g4,
            "≥ 3.0",
            g4 >= 3.0,
            ""));
    double g5 = points.ratio(points.get("D", 1, LEVEL), points.get("A", LEVEL, 1), true);
    ratios.add(
        new Ratio(
            "G5",
            model,
            "throughput D at concurrency 32 ÷ A at batch 32",
            g5,
            "≥ 0.60",
            g5 >= 0.60,
            ""));
    Optional<ArmResult> d32 = points.get("D", 1, LEVEL);
    double g6 = points.latencyRatio(d32, d32, 99);
    ratios.add(
        new Ratio("G6", model, "p99 ÷ p50 of D at concurrency 32", g6, "≤ 2.0", g6 <= 2.0, ""));
    return ratios;
  }

  /** The points of one model. */
  private record Points(String model, List<ArmResult> results) {

    /** The point of {@code arm} at this batch and concurrency; -1 takes any concurrency. */
    Optional<ArmResult> get(String arm, int batch, int concurrency) {
      return results.stream()
          .filter(
              r ->
                  r.arm().equals(arm)
                      && r.model().equals(model)
                      && r.batch() == batch
                      && (concurrency < 0 || r.concurrency() == concurrency))
          .findFirst();
    }

    double ratio(Optional<ArmResult> top, Optional<ArmResult> bottom, boolean samples) {
      if (top.isEmpty() || bottom.isEmpty()) {
        return Double.NaN;
      }
      return samples
          ? top.get().samplesPerSecond() / bottom.get().samplesPerSecond()
          : top.get().requestsPerSecond() / bottom.get().requestsPerSecond();
    }

    /** {@code top}'s latency at {@code percentile} ÷ {@code bottom}'s median. */
    double latencyRatio(Optional<ArmResult> top, Optional<ArmResult> bottom, int percentile) {
      if (top.isEmpty() || bottom.isEmpty()) {
        return Double.NaN;
      }
      double value = percentile == 99 ? top.get().p99Micros() : top.get().p50Micros();
      return value / bottom.get().p50Micros();
    }
  }
}
