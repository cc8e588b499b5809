package dev.maas.gateway.metering;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import com.google.protobuf.Timestamp;
import dev.maas.proto.cluster.v1.ReportUsageRequest;
import dev.maas.proto.cluster.v1.UsageEntry;
import dev.maas.proto.cluster.v1.UsageReportServiceGrpc;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports metered usage to the control plane in batches with unique ids. One batch is outstanding
 * at a time: it is resent with the same id until the control plane acknowledges it (the control
 * plane counts an id once), and only then is the next batch drained from the meter. While the
 * control plane is away usage keeps aggregating in the meter, so nothing is lost and memory stays
 * bounded by tenants × models × versions × hours. With a {@link UsageJournal}, each batch is
 * written to it before it is sent and removed once acknowledged, and batches a killed gateway left
 * there are sent first, with their ids.
 *
 * <p>Thread-safe: {@link #reportNow} is serialized; the schedule runs it on one thread.
 */
public final class UsageReporter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(UsageReporter.class);

  private final UsageMeter meter;
  private final UsageReportServiceGrpc.UsageReportServiceBlockingStub stub;
  private final String gatewayId;
  private final Duration timeout;
  private final UsageJournal journal;

  /** Batches to send, oldest first: recovered ones, then at most one drained from the meter. */
  @GuardedBy("this")
  private final Deque<ReportUsageRequest> outstanding = new ArrayDeque<>();

  @GuardedBy("this")
  private boolean failing;

  @GuardedBy("this")
  private ScheduledFuture<?> schedule;

  /**
   * A reporter.
   *
   * @param controlPlane a channel that carries the cluster token
   * @param timeout the deadline of one report
   */
  public UsageReporter(UsageMeter meter, Channel controlPlane, String gatewayId, Duration timeout) {
    this(meter, null, controlPlane, gatewayId, timeout);
  }

  /**
   * A reporter that keeps its batches in {@code journal} (the meter's) until acknowledged.
   *
   * @param journal null to keep batches in memory only
   */
  public UsageReporter(
      UsageMeter meter,
      UsageJournal journal,
      Channel controlPlane,
      String gatewayId,
      Duration timeout) {
    this.meter = meter;
    this.journal = journal;
    this.stub = UsageReportServiceGrpc.newBlockingStub(controlPlane);
    this.gatewayId = gatewayId;
    this.timeout = timeout;
    if (journal != null) {
      outstanding.addAll(journal.recoveredBatches());
    }
  }

  /** Reports every {@code interval} on {@code scheduler}. */
  public synchronized void start(ScheduledExecutorService scheduler, Duration interval) {
    schedule =
        scheduler.scheduleWithFixedDelay(
            this::reportQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Sends the outstanding batch, if any; then drains the meter once into a new batch and sends it.
   *
   * @return true when everything counted before this call has been acknowledged
   */
  public synchronized boolean reportNow() {
    boolean drained = false;
    while (true) {
      if (outstanding.isEmpty()) {
        if (drained) {
          return true;
        }
        ReportUsageRequest batch = batch(meter.drain());
        drained = true;
        keep(batch);
        if (batch == null) {
          return true;
        }
        outstanding.add(batch);
      }
      ReportUsageRequest head = outstanding.peek();
      try {
        stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).reportUsage(head);
      } catch (StatusRuntimeException e) {
        // Warn once per outage; while the control plane stays away, every retry would repeat it.
        if (failing) {
          log.debug("usage batch {} still not reported ({})", head.getBatchId(), e.getStatus());
        } else {
          log.warn(
              "usage batch {} not reported ({}); it is kept and resent",
              head.getBatchId(),
              e.getStatus());
          failing = true;
        }
        return false;
      }
      if (failing) {
        log.info("usage reports reach the control plane again");
        failing = false;
      }
      log.debug("usage batch {} reported", head.getBatchId());
      outstanding.poll();
      forget(head);
    }
  }

  /** Writes a new batch (null: nothing drained) to the journal, if there is one. */
  private void keep(ReportUsageRequest batch) {
    if (journal == null) {
      return;
    }
    try {
      journal.persist(batch);
    } catch (IOException e) {
      // The batch is still sent from memory; only a crash before its acknowledgement loses it.
      log.error("usage batch not written to the journal; it is sent from memory", e);
    }
  }

  private void forget(ReportUsageRequest batch) {
    if (journal == null) {
      return;
    }
    try {
      journal.acknowledged(batch);
    } catch (IOException e) {
      // Resent after a restart; the control plane counts its id once.
      log.warn("acknowledged usage batch {} not removed from the journal", batch.getBatchId(), e);
    }
  }

  /** Stops the schedule and makes a last attempt to report everything. */
  @Override
  public void close() {
    synchronized (this) {
      if (schedule != null) {
        schedule.cancel(false);
      }
    }
    if (!reportNow()) {
      log.error("usage not reported at shutdown; the control plane was unreachable");
    }
  }

  private void reportQuietly() {
    try {
      reportNow();
    } catch (RuntimeException e) {
      log.error("usage report failed unexpectedly", e);
    }
  }

  private ReportUsageRequest batch(Map<UsageKey, UsageCounts> usage) {
    if (usage.isEmpty()) {
      return null;
    }
    ReportUsageRequest.Builder batch =
        ReportUsageRequest.newBuilder()
            .setBatchId(UUID.randomUUID().toString())
            .setGatewayId(gatewayId);
    usage.forEach(
        (key, counts) ->
            batch.addEntries(
                UsageEntry.newBuilder()
                    .setTenant(key.tenant())
                    .setModel(key.model())
                    .setVersion(key.version())
                    .setHour(
                        Timestamp.newBuilder()
                            .setSeconds(key.hour().getEpochSecond())
                            .setNanos(key.hour().getNano()))
                    .setRequests(counts.requests())
                    .setErrors(counts.errors())
                    .setItems(counts.items())
                    .setBytesIn(counts.bytesIn())
                    .setBytesOut(counts.bytesOut())
                    .setComputeMs(counts.computeMillis())));
    return batch.build();
  }
}
