package dev.maas.bench;

import java.util.Map;

/**
 * One measurement point of the table, summed over the windows that agreed (or, when none did, the
 * last three).
 *
 * @param arm A, B, C, D or C-batch64
 * @param model the demo model
 * @param batch rows per request
 * @param concurrency requests kept in flight (1 for arm A: one caller)
 * @param samplesPerSecond rows answered per second
 * @param requestsPerSecond requests answered per second
 * @param p50Micros median latency of a request
 * @param p90Micros 90th percentile latency
 * @param p99Micros 99th percentile latency
 * @param requests requests counted
 * @param errors requests that failed in the counted windows
 * @param firstError the first failure's text, or empty
 * @param windows measurement windows run
 * @param stable whether three consecutive windows agreed within the tolerance
 * @param cpuCores CPU time of each process (client, gateway, worker, control-plane) over the
 *     counted windows, divided by their length: cores busy on average
 * @param cpuMicrosPerRequest CPU time of each process over the counted windows per request
 *     answered, in µs
 */
record ArmResult(
    String arm,
    String model,
    int batch,
    int concurrency,
    double samplesPerSecond,
    double requestsPerSecond,
    double p50Micros,
    double p90Micros,
    double p99Micros,
    long requests,
    long errors,
    String firstError,
    int windows,
    boolean stable,
    Map<String, Double> cpuCores,
    Map<String, Double> cpuMicrosPerRequest) {

  ArmResult {
    cpuCores = Map.copyOf(cpuCores);
    cpuMicrosPerRequest = Map.copyOf(cpuMicrosPerRequest);
  }

  /** Whether this is the point {@code arm} of {@code model} at this batch and concurrency. */
  boolean is(String arm, String model, int batch, int concurrency) {
    return this.arm.equals(arm)
        && this.model.equals(model)
        && this.batch == batch
        && this.concurrency == concurrency;
  }
}
