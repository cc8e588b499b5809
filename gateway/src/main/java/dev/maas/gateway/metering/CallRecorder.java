package dev.maas.gateway.metering;

import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every finished call in the metrics, in the usage meter (billable calls only) and as one
 * access log line on the {@code dev.maas.gateway.access} logger: tenant, model, version, code,
 * latency, bytes and attempts; never the key. Thread-safe.
 */
public final class CallRecorder {

  private static final Logger access = LoggerFactory.getLogger("dev.maas.gateway.access");

  private final GatewayMetrics metrics;
  private final UsageMeter meter;

  public CallRecorder(GatewayMetrics metrics, UsageMeter meter) {
    this.metrics = metrics;
    this.meter = meter;
  }

  /** Records one call. */
  public void record(CallRecord call) {
    metrics.recordCall(call.rpc(), call.tenant(), call.model(), call.code(), call.latency());
    if (call.billable() && call.model() != null) {
      boolean ok = call.code() == Status.Code.OK;
      meter.record(
          call.tenant(),
          call.model(),
          call.version(),
          new UsageCounts(
              1,
              ok ? 0 : 1,
              ok ? 1 : 0,
              call.bytesIn(),
              call.bytesOut(),
              call.latency().toMillis()));
    }
    if (access.isInfoEnabled()) {
      access.info(
          "rpc={} tenant={} model={} version={} code={} latency_ms={} bytes_in={} bytes_out={} attempts={}",
          call.rpc(),
          call.tenant(),
          call.model() == null ? "-" : call.model(),
          call.version() == 0 ? "-" : call.version(),
          call.code(),
          call.latency().toMillis(),
          call.bytesIn(),
          call.bytesOut(),
          call.attempts());
    }
  }
}
