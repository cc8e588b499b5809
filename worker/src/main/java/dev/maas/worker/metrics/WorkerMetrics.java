package dev.maas.worker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The worker's Prometheus registry and the meters that are not per model version. */
public final class WorkerMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

  public WorkerMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
  }

  /** The registry, for meters of other features. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Fresh statistics for a version that has just loaded. */
  public VersionStatistics forVersion(String model, String version) {
    return new VersionStatistics(registry, model, version);
  }

  /** Counts a request that failed before it reached a model version, such as an unknown model. */
  public void recordUnresolvedFailure(String code) {
    Counter.builder("maas.inference.request.failure")
        .description("Inference requests that failed")
        .tags("model", "", "version", "", "code", code)
        .register(registry)
        .increment();
  }

  /** The metrics in Prometheus' text format. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gcMetrics.close();
    registry.close();
  }
}
