package dev.maas.standalone.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import dev.maas.proto.admin.v1.Batching;
import dev.maas.proto.admin.v1.Scope;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.standalone.demo.Bearer;
import dev.maas.standalone.e2e.ClusterAdmin;
import dev.maas.standalone.e2e.EndToEndCluster;
import dev.maas.standalone.e2e.WorkerProcess;
import dev.maas.standalone.reliability.ResultsTable.Verdict;
import dev.maas.standalone.testing.Tensors;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Serving over time and through a crash, on a real cluster (control plane on PostgreSQL, worker
 * processes, the gateway on loopback): the soak (scenario 11) and a worker process killed with
 * {@code kill -9} under a steady rate (scenario 3). Sizes follow {@link Scale}; figures go to the
 * {@link ResultsTable}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServingReliabilityTest {

  @RegisterExtension static final EndToEndCluster cluster = new EndToEndCluster();

  private static final Scale scale = Scale.current();

  /**
   * Scenario 11: many calls on one long-lived channel, then one call on each of many new channels
   * (connection setup every time): none may fail.
   */
  @Test
  @Order(1)
  void soak_manyCallsOnOneChannelAndOneCallOnEachNewChannel_failNone() throws Exception {
    ClusterAdmin admin = cluster.admin();
    admin.createTenant("soak");
    admin.setRate("soak", 100_000, 100_000);
    String key = admin.createKey("soak", Scope.SCOPE_INFER);
    admin.createModel("soak", "affine");
    long version = admin.uploadAffine("soak", "affine", 2f, 1f);
    admin.deploy("soak", "affine", version, 2, Map.of());
    cluster.awaitServing(key, "affine", "");
    int sameChannelCalls = scale.pick(1_000, 10_000);
    int newChannelCalls = scale.pick(100, 1_000);
    ModelInferRequest request = Tensors.affine("affine", "", 1, 2, 3, 4);
    List<Float> expected = List.of(3f, 5f, 7f, 9f);

    Map<String, Integer> failures = new TreeMap<>();
    Histogram sameChannel = new Histogram(3);
    for (int i = 0; i < sameChannelCalls; i++) {
      timedCall(cluster.gatewayAs(key)::modelInfer, request, expected, sameChannel, failures);
    }
    Histogram newChannels = new Histogram(3);
    for (int i = 0; i < newChannelCalls; i++) {
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", cluster.gateway().port())
              .usePlaintext()
              .build();
      try {
        timedCall(
            r ->
                GRPCInferenceServiceGrpc.newBlockingStub(Bearer.over(channel, key))
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .modelInfer(r),
            request,
            expected,
            newChannels,
            failures);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }

    long failed = failures.values().stream().mapToLong(Integer::longValue).sum();
    ResultsTable.row(
        "11 soak",
        String.format(
            Locale.ROOT, "failures in %,d + %,d calls", sameChannelCalls, newChannelCalls),
        Long.toString(failed),
        "0",
        Verdict.of(failed == 0));
    ResultsTable.row(
        "11 soak",
        "latency on one channel, p50 / p99 / max",
        millis(sameChannel, 50) + " / " + millis(sameChannel, 99) + " / " + max(sameChannel),
        "reported",
        Verdict.INFO);
    ResultsTable.row(
        "11 soak",
        "latency with a new channel each (connect included), p50 / p99 / max",
        millis(newChannels, 50) + " / " + millis(newChannels, 99) + " / " + max(newChannels),
        "reported",
        Verdict.INFO);
    assertThat(failures).as("failed calls by what was thrown").isEmpty();
    assertThat(sameChannel.getTotalCount() + newChannels.getTotalCount())
        .isEqualTo(sameChannelCalls + newChannelCalls);
  }

  /**
   * Scenario 3: LeNet on two worker processes at a steady rate; one is killed with {@code kill -9}
   * a third of the way in. The gateway retries on the other replica, so calls keep succeeding and
   * every answer must equal the direct in-process result for its input. The gateway's retries (a
   * call tried on the dead worker first) must stop once routing drops it, and the control plane
   * places the lost replica on a worker started after the kill.
   */
  @Test
  @Order(2)
  void workerKilledUnderLoad_callsSucceed_answersAreRight_andTheReplicaIsPlacedAgain()
      throws Exception {
    ClusterAdmin admin = cluster.admin();
    admin.createTenant("killed");
    admin.setRate("killed", 100_000, 100_000);
    String key = admin.createKey("killed", Scope.SCOPE_INFER);
    admin.createModel("killed", "lenet");
    long version = admin.uploadLenet("killed", "lenet");
    admin.deploy(
        "killed",
        "lenet",
        version,
        2,
        Batching.newBuilder()
            .setMaxBatchSize(16)
            .setMaxQueueDelayMicroseconds(1_000)
            .setMaxQueueSize(512)
            .build());
    await("two serving replicas")
        .atMost(EndToEndCluster.SERVING_TIMEOUT)
        .until(() -> cluster.routedVersion("killed", "lenet", version).getAddressesCount() == 2);
    cluster.awaitServing(key, "lenet", "");
    LenetOracle oracle = LenetOracle.of("lenet", 32);
    WorkerProcess victim = cluster.workers().get(0);
    WorkerProcess survivor = cluster.workers().get(1);
    int rate = scale.pick(60, 100);
    Duration length = scale.pick(Duration.ofSeconds(10), Duration.ofSeconds(60));

    GRPCInferenceServiceFutureStub stub =
        GRPCInferenceServiceGrpc.newFutureStub(Bearer.over(cluster.gatewayChannel(), key));
    PacedLoad load =
        new PacedLoad(
            List.of(new PacedLoad.Phase("steady", rate, length)),
            i ->
                Futures.transform(
                    stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                        .modelInfer(oracle.request(i % oracle.size())),
                    response -> oracle.matches(i % oracle.size(), response),
                    MoreExecutors.directExecutor()));
    ExecutorService runner = Executors.newSingleThreadExecutor();
    RetryWatch retries = new RetryWatch();
    PacedLoad.Result result;
    double stoppedAfter;
    double droppedAfter;
    double replacedAfter;
    try {
      Future<PacedLoad.Result> running = runner.submit(() -> load.run(Duration.ofSeconds(15)));
      await().atMost(length).until(() -> load.sent() >= rate * length.toSeconds() / 3);
      retries.start();
      long killed = System.nanoTime();
      victim.kill();
      await("the dead worker dropped from routing")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () ->
                  cluster
                      .routedVersion("killed", "lenet", version)
                      .getAddressesList()
                      .equals(List.of(survivor.address())));
      droppedAfter = (System.nanoTime() - killed) / 1e9;
      WorkerProcess replacement = cluster.addWorker("e2e-worker-c");
      await("the replica placed on the new worker")
          .atMost(EndToEndCluster.SERVING_TIMEOUT)
          .until(
              () ->
                  cluster
                      .routedVersion("killed", "lenet", version)
                      .getAddressesList()
                      .contains(replacement.address()));
      replacedAfter = (System.nanoTime() - killed) / 1e9;
      result = running.get(length.toSeconds() + 120, TimeUnit.SECONDS);
      stoppedAfter =
          retries.lastIncreaseNanos() < 0 ? 0 : (retries.lastIncreaseNanos() - killed) / 1e9;
    } finally {
      retries.close();
      runner.shutdownNow();
    }

    long ok = result.count(Status.Code.OK);
    double success = 100.0 * ok / result.calls();
    ResultsTable.row(
        "3 worker killed",
        String.format(
            Locale.ROOT,
            "calls succeeded (%,d calls at %d/s over %d s)",
            result.calls(),
            rate,
            length.toSeconds()),
        String.format(Locale.ROOT, "%.3f %%", success),
        "≥ 99.9 %",
        Verdict.of(success >= 99.9));
    ResultsTable.row(
        "3 worker killed",
        "wrong answers",
        Long.toString(result.wrong()),
        "0",
        Verdict.of(result.wrong() == 0));
    ResultsTable.row(
        "3 worker killed",
        "kill → last call tried on the dead worker (gateway retries stop)",
        String.format(Locale.ROOT, "%.2f s", stoppedAfter),
        "≤ 2 s",
        Verdict.of(stoppedAfter <= 2));
    ResultsTable.row(
        "3 worker killed",
        "kill → dropped from the control plane's routing",
        String.format(Locale.ROOT, "%.2f s", droppedAfter),
        "reported",
        Verdict.INFO);
    ResultsTable.row(
        "3 worker killed",
        "kill → replica serving on a newly started worker",
        String.format(Locale.ROOT, "%.1f s", replacedAfter),
        "re-placed",
        Verdict.MET);
    assertThat(result.wrong()).as("wrong answers").isZero();
    assertThat(success).as("percent of calls that succeeded").isGreaterThanOrEqualTo(99.0);
    assertThat(victim.alive()).isFalse();
  }

  /** Watches the gateway's retries counter and keeps when it last grew. */
  private static final class RetryWatch implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong lastIncrease = new AtomicLong(-1);
    private final Thread thread = new Thread(this::watch, "retry-watch");

    void start() {
      thread.setDaemon(true);
      thread.start();
    }

    long lastIncreaseNanos() {
      return lastIncrease.get();
    }

    private void watch() {
      double last = retries();
      while (running.get()) {
        double now = retries();
        if (now > last) {
          lastIncrease.set(System.nanoTime());
          last = now;
        }
        try {
          TimeUnit.MILLISECONDS.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(5_000);
    }

    private static double retries() {
      return PrometheusText.sum(cluster.gateway().metrics().scrape(), "maas_gateway_retries_total");
    }
  }

  @FunctionalInterface
  private interface Infer {
    ModelInferResponse call(ModelInferRequest request);
  }

  private static void timedCall(
      Infer infer,
      ModelInferRequest request,
      List<Float> expected,
      Histogram latencies,
      Map<String, Integer> failures) {
    long start = System.nanoTime();
    try {
      List<Float> y = Tensors.output(infer.call(request), "y");
      latencies.recordValue(Math.max(1, (System.nanoTime() - start) / 1_000));
      if (!y.equals(expected)) {
        failures.merge("wrong answer " + y, 1, Integer::sum);
      }
    } catch (StatusRuntimeException e) {
      failures.merge(
          e.getStatus().getCode() + ": " + e.getStatus().getDescription(), 1, Integer::sum);
    }
  }

  static String millis(Histogram histogram, double percentile) {
    return String.format(
        Locale.ROOT, "%.1f ms", histogram.getValueAtPercentile(percentile) / 1_000.0);
  }

  static String max(Histogram histogram) {
    return String.format(Locale.ROOT, "%.1f ms", histogram.getMaxValue() / 1_000.0);
  }
}
