package dev.maas.gateway.metering;

import dev.maas.gateway.forwarding.ForwardingEvents;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * The gateway's Prometheus metrics: calls by tenant, model, rpc and code, latency histograms by
 * tenant and rpc, quota rejections, retries, ejections and the snapshot version. The tenant label
 * is bounded (see {@link TenantLabels}); so is the model label, which is empty for names that did
 * not resolve and {@value TenantLabels#OTHER} for tenants past the bound. Thread-safe.
 */
public final class GatewayMetrics implements ForwardingEvents, AutoCloseable {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private final TenantLabels tenants;

  /*
   * The meters of recordCall by their labels: building a meter and looking it up in the registry
   * on every call showed in the gateway's profile. They hold no more entries than the registry holds
   * meters, which the bounded tenant label keeps bounded.
   */
  private final ConcurrentMap<RequestKey, Counter> requests = new ConcurrentHashMap<>();
  private final ConcurrentMap<DurationKey, Timer> durations = new ConcurrentHashMap<>();

  /**
   * Metrics with at most {@code maxTenantLabels} tenant label values.
   *
   * @param snapshotVersion the version of the routing snapshot in use, -1 for none
   */
  public GatewayMetrics(int maxTenantLabels, Supplier<Number> snapshotVersion) {
    this.tenants = new TenantLabels(maxTenantLabels);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    Gauge.builder("maas.gateway.snapshot.version", snapshotVersion)
        .description("Version of the routing snapshot in use; -1 before the first")
        .register(registry);
  }

  /** The registry, for tests and other meters. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Counts one call and its latency. */
  public void recordCall(
      String rpc, String tenant, String model, Status.Code code, Duration latency) {
    String tenantLabel = tenants.of(tenant);
    String modelLabel = TenantLabels.OTHER.equals(tenantLabel) || model == null ? "" : model;
    requests
        .computeIfAbsent(
            new RequestKey(rpc, tenantLabel, modelLabel, code), this::registerRequestCounter)
        .increment();
    durations
        .computeIfAbsent(new DurationKey(rpc, tenantLabel), this::registerDurationTimer)
        .record(latency);
  }

  private Counter registerRequestCounter(RequestKey key) {
    return Counter.builder("maas.gateway.requests")
        .description("Calls answered by the gateway")
        .tags(
            "rpc",
            key.rpc(),
            "tenant",
            key.tenant(),
            "model",
            key.model(),
            "code",
            key.code().name())
        .register(registry);
  }

  private Timer registerDurationTimer(DurationKey key) {
    return Timer.builder("maas.gateway.request.duration")
        .description("Time from a call's arrival at the gateway to its answer")
        .tags("rpc", key.rpc(), "tenant", key.tenant())
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry);
  }

  /** The labels of one {@code maas.gateway.requests} counter. */
  private record RequestKey(String rpc, String tenant, String model, Status.Code code) {}

  /** The labels of one {@code maas.gateway.request.duration} timer. */
  private record DurationKey(String rpc, String tenant) {}

  /** Counts a call refused by a quota. */
  public void recordQuotaRejection(String tenant, String limit) {
    Counter.builder("maas.gateway.quota.rejections")
        .description("Calls refused by a quota or rate limit")
        .tags("tenant", tenants.of(tenant), "limit", limit)
        .register(registry)
        .increment();
  }

  @Override
  public void retried(String address) {
    Counter.builder("maas.gateway.retries")
        .description("Attempts retried on another worker replica")
        .register(registry)
        .increment();
  }

  @Override
  public void ejected(String address) {
    Counter.builder("maas.gateway.ejections")
        .description("Worker replicas taken out of rotation after repeated failures")
        .tags("worker", address)
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
