package dev.maas.standalone.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import dev.maas.proto.admin.v1.Batching;
import dev.maas.proto.admin.v1.Scope;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub;
import dev.maas.proto.inference.ModelReadyRequest;
import dev.maas.standalone.demo.Bearer;
import dev.maas.standalone.e2e.ClusterAdmin;
import dev.maas.standalone.reliability.ResultsTable.Verdict;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 5, overload: LeNet on one worker process behind a gateway process, each with a heap
 * limit. Capacity is measured first (closed loop), then calls arrive open-loop at 3× capacity and
 * afterwards at 1×. The excess must be refused fast (RESOURCE_EXHAUSTED from the tenant's
 * concurrency limit in the gateway, UNAVAILABLE from the worker's full queue), the processes must
 * stay within their heaps, and service must return to normal once the excess stops.
 */
class OverloadTest {

  private static final long GATEWAY_HEAP = 256L << 20;
  private static final long WORKER_HEAP = 384L << 20;

  /**
   * Closed-loop callers: enough to fill batches of 16 on the worker, within the concurrency quota.
   */
  private static final int CALLERS = 48;

  private static final Set<Status.Code> OK = EnumSet.of(Status.Code.OK);

  @RegisterExtension static final ProcessCluster cluster = new ProcessCluster(1, "256m", 1.0);

  @Test
  void threeTimesCapacity_excessRefusedFast_heapBounded_andServiceRecovers() throws Exception {
    Scale scale = Scale.current();
    ClusterAdmin admin = cluster.admin();
    admin.createTenant("overload");
    admin.setRate("overload", 1_000_000, 1_000_000);
    String key = admin.createKey("overload", Scope.SCOPE_INFER);
    admin.createModel("overload", "lenet");
    long version = admin.uploadLenet("overload", "lenet");
    admin.deploy(
        "overload",
        "lenet",
        version,
        1,
        Batching.newBuilder()
            .setMaxBatchSize(16)
            .setMaxQueueDelayMicroseconds(1_000)
            .setMaxQueueSize(64)
            .build());
    GRPCInferenceServiceBlockingStub blocking =
        GRPCInferenceServiceGrpc.newBlockingStub(Bearer.over(cluster.gatewayChannel(), key));
    await("lenet serving")
        .atMost(ProcessCluster.START_TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                blocking
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .modelReady(ModelReadyRequest.newBuilder().setName("lenet").build())
                    .getReady());
    LenetOracle oracle = LenetOracle.of("lenet", 16);

    Duration measure = scale.pick(Duration.ofSeconds(3), Duration.ofSeconds(10));
    Histogram closedLoop = new ConcurrentHistogram(3);
    double capacity = closedLoopCapacity(blocking, oracle, measure, closedLoop);
    long normalMicros = Math.max(50_000, 2 * closedLoop.getValueAtPercentile(99));

    Duration overload = scale.pick(Duration.ofSeconds(4), Duration.ofSeconds(30));
    Duration normal = scale.pick(Duration.ofSeconds(5), Duration.ofSeconds(15));
    GRPCInferenceServiceFutureStub stub =
        GRPCInferenceServiceGrpc.newFutureStub(Bearer.over(cluster.gatewayChannel(), key));
    PacedLoad load =
        new PacedLoad(
            List.of(
                new PacedLoad.Phase("3x", 3 * capacity, overload),
                new PacedLoad.Phase("1x", capacity, normal)),
            i ->
                Futures.transform(
                    stub.withDeadlineAfter(2, TimeUnit.SECONDS)
                        .modelInfer(oracle.request(i % oracle.size())),
                    response -> oracle.matches(i % oracle.size(), response),
                    MoreExecutors.directExecutor()));
    PacedLoad.Result result;
    try (HeapWatch heap = new HeapWatch()) {
      heap.start();
      result = load.run(Duration.ofSeconds(10));
      heap.close();
      report(scale, capacity, result, heap, normalMicros);
    }

    Map<Status.Code, Long> codes = new TreeMap<>();
    for (Status.Code code : Status.Code.values()) {
      long n = result.count(code);
      if (n > 0) {
        codes.put(code, n);
      }
    }
    assertThat(result.wrong()).as("wrong answers").isZero();
    assertThat(codes.keySet())
        .as("every call answered OK or refused as overload")
        .isSubsetOf(
            Status.Code.OK,
            Status.Code.RESOURCE_EXHAUSTED,
            Status.Code.UNAVAILABLE,
            Status.Code.DEADLINE_EXCEEDED);
    assertThat(cluster.gateway().alive()).as("the gateway still runs").isTrue();
    assertThat(cluster.workers().get(0).alive()).as("the worker still runs").isTrue();
    assertThat(cluster.gateway().logMentions("OutOfMemoryError")).as("gateway OOM").isFalse();
    assertThat(Files.readString(cluster.workers().get(0).log()))
        .as("worker log")
        .doesNotContain("OutOfMemoryError");
    double useful = result.count(OK, 0, result.phaseEnd(0)) / (result.phaseEnd(0) * capacity);
    assertThat(useful)
        .as("useful throughput under overload, share of capacity")
        .isGreaterThan(0.25);
  }

  private void report(
      Scale scale, double capacity, PacedLoad.Result result, HeapWatch heap, long normalMicros) {
    double overloadEnd = result.phaseEnd(0);
    double end = result.phaseEnd(1);
    ResultsTable.row(
        "5 overload",
        "capacity, closed loop of " + CALLERS + " callers (LeNet, 1 worker, batch ≤ 16)",
        String.format(Locale.ROOT, "%.0f calls/s", capacity),
        "measured",
        Verdict.INFO);
    Histogram rejections = result.latencies(PacedLoad.Result.REJECTIONS, 0, end);
    double p99 = rejections.getTotalCount() == 0 ? 0 : rejections.getValueAtPercentile(99) / 1e3;
    ResultsTable.row(
        "5 overload",
        String.format(
            Locale.ROOT,
            "p99 of rejections, p50 %.1f ms (%,d RESOURCE_EXHAUSTED, %,d UNAVAILABLE; %,d"
                + " DEADLINE_EXCEEDED)",
            rejections.getValueAtPercentile(50) / 1e3,
            result.count(Status.Code.RESOURCE_EXHAUSTED),
            result.count(Status.Code.UNAVAILABLE),
            result.count(Status.Code.DEADLINE_EXCEEDED)),
        String.format(Locale.ROOT, "%.1f ms", p99),
        "< 50 ms",
        Verdict.of(p99 < 50));
    double useful = result.count(OK, 0, overloadEnd) / overloadEnd;
    ResultsTable.row(
        "5 overload",
        String.format(
            Locale.ROOT,
            "useful throughput at 3× (%.0f calls/s offered for %.0f s)",
            3 * capacity,
            overloadEnd),
        String.format(Locale.ROOT, "%.0f calls/s = %.0f %%", useful, 100 * useful / capacity),
        "≥ 90 % of capacity",
        Verdict.of(useful >= 0.9 * capacity));
    ResultsTable.row(
        "5 overload",
        "heap used, max: gateway / worker",
        String.format(
            Locale.ROOT,
            "%d MiB of %d / %d MiB of %d",
            heap.gatewayMax.get() >> 20,
            GATEWAY_HEAP >> 20,
            heap.workerMax.get() >> 20,
            WORKER_HEAP >> 20),
        "under the limit, no OutOfMemoryError",
        Verdict.of(heap.gatewayMax.get() < GATEWAY_HEAP && heap.workerMax.get() < WORKER_HEAP));
    double recovery = result.recovery(overloadEnd, end, 0.25, normalMicros);
    ResultsTable.row(
        "5 overload",
        String.format(
            Locale.ROOT,
            "back at 1×: time until every call OK within %.0f ms (2 × closed-loop p99)",
            normalMicros / 1e3),
        String.format(Locale.ROOT, "%.2f s (of %.0f s at 1×)", recovery, end - overloadEnd),
        "≤ 10 s",
        Verdict.of(recovery <= 10 && recovery < end - overloadEnd));
  }

  /** Calls with {@code threads} callers, each waiting for its answer, for {@code length}. */
  private static double closedLoopCapacity(
      GRPCInferenceServiceBlockingStub stub,
      LenetOracle oracle,
      Duration length,
      Histogram latencies)
      throws InterruptedException {
    AtomicBoolean measuring = new AtomicBoolean(false);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong answered = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < CALLERS; t++) {
      int first = t;
      Thread thread =
          new Thread(
              () -> {
                for (int i = first; running.get(); i += CALLERS) {
                  int input = i % oracle.size();
                  long start = System.nanoTime();
                  try {
                    boolean right =
                        oracle.matches(
                            input,
                            stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                                .modelInfer(oracle.request(input)));
                    if (right && measuring.get()) {
                      answered.incrementAndGet();
                      latencies.recordValue((System.nanoTime() - start) / 1_000);
                    }
                  } catch (RuntimeException e) {
                    // Not counted: capacity is what is answered.
                  }
                }
              },
              "closed-loop-" + t);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    TimeUnit.SECONDS.sleep(1); // warm-up, not measured
    measuring.set(true);
    long start = System.nanoTime();
    TimeUnit.NANOSECONDS.sleep(length.toNanos());
    measuring.set(false);
    double seconds = (System.nanoTime() - start) / 1e9;
    running.set(false);
    for (Thread thread : threads) {
      thread.join(30_000);
    }
    return answered.get() / seconds;
  }

  /** Samples the heap of the gateway and of the worker through their metrics endpoints. */
  private static final class HeapWatch implements AutoCloseable {
    final AtomicLong gatewayMax = new AtomicLong();
    final AtomicLong workerMax = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread = new Thread(this::watch, "heap-watch");

    void start() {
      thread.setDaemon(true);
      thread.start();
    }

    private void watch() {
      while (running.get()) {
        try {
          gatewayMax.accumulateAndGet(heapUsed(cluster.gatewayMetrics()), Math::max);
          workerMax.accumulateAndGet(heapUsed(cluster.workerMetrics(0)), Math::max);
          TimeUnit.MILLISECONDS.sleep(200);
        } catch (InterruptedException e) {
          return;
        } catch (IOException e) {
          // A scrape that times out under overload is skipped; the next one counts.
        }
      }
    }

    private static long heapUsed(String metrics) {
      return (long) PrometheusText.sum(metrics, "jvm_memory_used_bytes", "area=\"heap\"");
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.interrupt();
      thread.join(5_000);
    }
  }
}
