package dev.maas.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Reads the CPU time of the client (this JVM) and of the service processes. */
final class CpuMeter {

  private final Supplier<Map<String, Duration>> services;

  /** A meter of this JVM plus the processes {@code services} reports. */
  CpuMeter(Supplier<Map<String, Duration>> services) {
    this.services = services;
  }

  /** CPU time used so far by each process, the client first. */
  Map<String, Duration> sample() {
    Map<String, Duration> times = new LinkedHashMap<>();
    times.put("client", ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO));
    times.putAll(services.get());
    return times;
  }

  /** {@code after - before} per process. */
  static Map<String, Duration> difference(
      Map<String, Duration> before, Map<String, Duration> after) {
    Map<String, Duration> used = new LinkedHashMap<>();
    after.forEach((name, time) -> used.put(name, time.minus(before.getOrDefault(name, time))));
    return used;
  }
}
