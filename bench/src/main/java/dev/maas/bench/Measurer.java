package dev.maas.bench;

import dev.maas.sdk.perf.StabilityCriterion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Measures one point the way perf_analyzer does: a warm-up, then windows until the last three agree
 * within 10 % in throughput and median latency, or until the cap on windows. The CPU time of every
 * process is read around each window.
 */
final class Measurer {

  private static final StabilityCriterion STABILITY = StabilityCriterion.PERF_ANALYZER;

  private final BenchSettings settings;
  private final CpuMeter cpu;

  Measurer(BenchSettings settings, CpuMeter cpu) {
    this.settings = settings;
    this.cpu = cpu;
  }

  /** Measures {@code runner} as point {@code arm} of {@code model}. */
  ArmResult measure(String arm, String model, int batch, int concurrency, Window.Runner runner)
      throws InterruptedException {
    runner.run(settings.warmup());
    List<Window> windows = new ArrayList<>();
    List<Map<String, Duration>> cpuUsed = new ArrayList<>();
    List<Double> throughputs = new ArrayList<>();
    List<Double> medians = new ArrayList<>();
    boolean stable = false;
    while (!stable && windows.size() < settings.maxWindows()) {
      Map<String, Duration> before = cpu.sample();
      Window window = runner.run(settings.window());
      cpuUsed.add(CpuMeter.difference(before, cpu.sample()));
      windows.add(window);
      throughputs.add(window.throughput());
      medians.add(window.medianNanos());
      stable = STABILITY.reached(throughputs, medians);
    }
    int counted = STABILITY.windows();
    return summarize(
        arm,
        model,
        batch,
        concurrency,
        windows.subList(windows.size() - counted, windows.size()),
        cpuUsed.subList(cpuUsed.size() - counted, cpuUsed.size()),
        windows.size(),
        stable);
  }

  private static ArmResult summarize(
      String arm,
      String model,
      int batch,
      int concurrency,
      List<Window> windows,
      List<Map<String, Duration>> cpuUsed,
      int windowsRun,
      boolean stable) {
    Histogram latency = new Histogram(3);
    double seconds = 0;
    long requests = 0;
    long errors = 0;
    String firstError = "";
    for (Window window : windows) {
      latency.add(window.latencyNanos());
      seconds += window.seconds();
      requests += window.requests();
      errors += window.errors();
      firstError = firstError.isEmpty() ? window.firstError() : firstError;
    }
    Map<String, Double> cores = new LinkedHashMap<>();
    for (Map<String, Duration> used : cpuUsed) {
      used.forEach((name, time) -> cores.merge(name, time.toNanos() / 1e9, Double::sum));
    }
    Map<String, Double> perRequest = new LinkedHashMap<>();
    long answered = requests;
    cores.forEach(
        (name, cpuSeconds) -> perRequest.put(name, answered > 0 ? cpuSeconds * 1e6 / answered : 0));
    double wall = seconds;
    cores.replaceAll((name, cpuSeconds) -> wall > 0 ? cpuSeconds / wall : 0);
    double requestsPerSecond = seconds > 0 ? requests / seconds : 0;
    return new ArmResult(
        arm,
        model,
        batch,
        concurrency,
        requestsPerSecond * batch,
        requestsPerSecond,
        micros(latency, 50),
        micros(latency, 90),
        micros(latency, 99),
        requests,
        errors,
        firstError,
        windowsRun,
        stable,
        cores,
        perRequest);
  }

  private static double micros(Histogram histogram, double percentile) {
    return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
  }
}
