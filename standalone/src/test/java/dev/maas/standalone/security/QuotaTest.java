package dev.maas.standalone.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import dev.maas.gateway.Gateway;
import dev.maas.proto.admin.v1.Quota;
import dev.maas.proto.admin.v1.QuotaServiceGrpc;
import dev.maas.proto.admin.v1.Scope;
import dev.maas.proto.admin.v1.SetQuotaRequest;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceStub;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.ModelReadyRequest;
import dev.maas.standalone.demo.Bearer;
import dev.maas.standalone.e2e.ClusterAdmin;
import dev.maas.standalone.e2e.EndToEndCluster;
import dev.maas.standalone.testing.Tensors;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quota semantics over two gateway replicas started with {@code --replicas-hint 2} on a real
 * cluster: a burst of 100 refilled at 10/s admits within its documented bound, every refusal is
 * RESOURCE_EXHAUSTED with retry information, a quiet tenant is not refused while a noisy one runs
 * at ten times its rate (latencies logged, not asserted), and the gateways keep enforcing with the
 * control plane down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuotaTest {

  @RegisterExtension static final EndToEndCluster cluster = new EndToEndCluster();

  private static final Logger log = LoggerFactory.getLogger(QuotaTest.class);

  private static final String MODEL = "affine";
  private static final List<Float> ANSWER = List.of(3f, 5f, 7f, 9f);
  private static final double RATE = 10;
  private static final long BURST = 100;
  private static final int REPLICAS = 2;
  private static final Metadata.Key<String> PUSHBACK =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  /** Per tenant: one stub per gateway replica. */
  private static Map<String, List<GRPCInferenceServiceStub>> stubs;

  @BeforeAll
  static void twoGatewaysSharingTheLimits() throws Exception {
    List<Gateway> replicas = new ArrayList<>();
    for (int i = 0; i < REPLICAS; i++) {
      replicas.add(cluster.startGateway(options -> options.withReplicasHint(REPLICAS)));
    }
    ClusterAdmin admin = cluster.admin();
    Map<String, double[]> limits =
        Map.of(
            "burst", new double[] {RATE, BURST},
            "noisy", new double[] {RATE, BURST},
            "quiet", new double[] {1_000, 1_000});
    Map<String, List<GRPCInferenceServiceStub>> byTenant = new java.util.HashMap<>();
    for (Map.Entry<String, double[]> tenant : limits.entrySet()) {
      String name = tenant.getKey();
      admin.createTenant(name);
      // The quota first: a key that works proves a snapshot with the quota arrived. Concurrency
      // is set out of the way: a call it refuses has already taken its token from the bucket.
      QuotaServiceGrpc.newBlockingStub(admin.channel())
          .setQuota(
              SetQuotaRequest.newBuilder()
                  .setTenant(name)
                  .setQuota(
                      Quota.newBuilder()
                          .setRequestsPerSecond(tenant.getValue()[0])
                          .setBurst((long) tenant.getValue()[1])
                          .setMaxConcurrentRequests(10_000))
                  .build());
      String key = admin.createKey(name, Scope.SCOPE_INFER);
      admin.createModel(name, MODEL);
      admin.uploadAffine(name, MODEL, 2f, 1f);
      admin.deploy(name, MODEL, 1, 1, Map.of());
      List<GRPCInferenceServiceStub> perReplica = new ArrayList<>();
      for (Gateway replica : replicas) {
        Channel channel = Bearer.over(cluster.channelTo(replica), key);
        // ModelReady takes no token, so the buckets start full.
        await(name + " serving on every replica")
            .atMost(Duration.ofMinutes(2))
            .ignoreExceptions()
            .until(
                () ->
                    GRPCInferenceServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .modelReady(ModelReadyRequest.newBuilder().setName(MODEL).build())
                        .getReady());
        perReplica.add(GRPCInferenceServiceGrpc.newStub(channel));
      }
      byTenant.put(name, perReplica);
    }
    stubs = Map.copyOf(byTenant);
  }

  @Test
  @Order(1)
  void aBurstOf100RefilledAt10PerSecond_admitsWithinTheBound_andRefusesWithRetryInformation()
      throws Exception {
    Run run = Run.paced(stubs.get("burst"), 1_000, Duration.ofSeconds(1));

    // Each replica's bucket holds ceil(100 / 2) and refills at 10 / 2 per second, so the two
    // admit at most 2 * 50 + 10 * T over a run of T seconds, and at least the 100 they hold.
    double seconds = run.sendSeconds();
    long upper = REPLICAS * ceilDiv(BURST, REPLICAS) + (long) Math.ceil(RATE * seconds) + REPLICAS;
    log.info(
        "quota burst {} rate {}/s over {} gateways (replicas hint {}): {} calls sent in {} s,"
            + " {} admitted (bound {}..{}), {} refused RESOURCE_EXHAUSTED, other {};"
            + " retry delays {}..{} ms",
        BURST,
        RATE,
        REPLICAS,
        REPLICAS,
        run.outcomes().size(),
        String.format("%.3f", seconds),
        run.admitted(),
        BURST,
        upper,
        run.refused(),
        run.other(),
        run.minRetryMillis(),
        run.maxRetryMillis());
    assertThat(run.other()).as("answers neither OK nor RESOURCE_EXHAUSTED").isEmpty();
    assertThat(run.wrongAnswers()).isZero();
    assertThat(run.admitted()).isBetween(BURST, upper);
    assertEveryRefusalCarriesRetryInformation(run);
  }

  @Test
  @Order(2)
  void aQuietTenant_isNeverRefused_whileANoisyOneRunsAtTenTimesItsRate() throws Exception {
    Run.paced(stubs.get("quiet"), 100, Duration.ofSeconds(1));
    Run alone = Run.paced(stubs.get("quiet"), 300, Duration.ofSeconds(3));
    CompletableFuture<Run> noise =
        CompletableFuture.supplyAsync(
            () -> Run.paced(stubs.get("noisy"), (int) (RATE * 10 * 3), Duration.ofSeconds(3)));
    Run beside = Run.paced(stubs.get("quiet"), 300, Duration.ofSeconds(3));
    Run noisy = noise.get(2, TimeUnit.MINUTES);

    double p99Alone = alone.percentileMillis(0.99);
    double p99Beside = beside.percentileMillis(0.99);
    log.info(
        "quiet tenant at 100 calls/s: p50 {} ms, p99 {} ms alone; p50 {} ms, p99 {} ms beside a"
            + " noisy tenant at {} calls/s ({}x its {}/s): p99 moved {} % (target < 10 %);"
            + " quiet refused {}, noisy admitted {} refused {}",
        format(alone.percentileMillis(0.5)),
        format(p99Alone),
        format(beside.percentileMillis(0.5)),
        format(p99Beside),
        (int) (RATE * 10),
        10,
        (int) RATE,
        format(100 * (p99Beside - p99Alone) / p99Alone),
        alone.refused() + beside.refused(),
        noisy.admitted(),
        noisy.refused());
    for (Run quiet : List.of(alone, beside)) {
      assertThat(quiet.admitted()).isEqualTo(quiet.outcomes().size());
      assertThat(quiet.wrongAnswers()).isZero();
    }
    assertThat(noisy.other()).isEmpty();
    assertThat(noisy.refused()).isPositive();
    assertEveryRefusalCarriesRetryInformation(noisy);
  }

  @Test
  @Order(3)
  void withTheControlPlaneDown_theGatewaysKeepEnforcingTheirLastQuotas() throws Exception {
    cluster.stopControlPlane();
    try {
      Run noisy = Run.paced(stubs.get("noisy"), 300, Duration.ofMillis(300));
      Run quiet = Run.paced(stubs.get("quiet"), 50, Duration.ofSeconds(1));

      long upper =
          REPLICAS * ceilDiv(BURST, REPLICAS)
              + (long) Math.ceil(RATE * noisy.sendSeconds())
              + REPLICAS;
      log.info(
          "control plane down: noisy tenant {} calls in {} s, {} admitted (at most {}), {} refused;"
              + " quiet tenant {} calls, {} admitted",
          noisy.outcomes().size(),
          String.format("%.3f", noisy.sendSeconds()),
          noisy.admitted(),
          upper,
          noisy.refused(),
          quiet.outcomes().size(),
          quiet.admitted());
      assertThat(noisy.other()).isEmpty();
      assertThat(noisy.admitted()).isLessThanOrEqualTo(upper);
      assertThat(noisy.refused()).isGreaterThanOrEqualTo(300 - upper);
      assertEveryRefusalCarriesRetryInformation(noisy);
      assertThat(quiet.admitted()).isEqualTo(50);
      assertThat(quiet.wrongAnswers()).isZero();
    } finally {
      cluster.startControlPlane();
    }
  }

  private static void assertEveryRefusalCarriesRetryInformation(Run run) {
    for (Outcome outcome : run.outcomes()) {
      if (outcome.status().getCode() != Status.Code.RESOURCE_EXHAUSTED) {
        continue;
      }
      assertThat(outcome.status().getDescription()).isEqualTo("request rate limit exceeded");
      assertThat(outcome.retryDelay()).as("RetryInfo").isNotNull();
      // One replica refills a token every 1 / (10 / 2) s.
      assertThat(outcome.retryDelay()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(200));
      long ceilMillis = (outcome.retryDelay().toNanos() + 999_999) / 1_000_000;
      assertThat(outcome.pushback()).isEqualTo(Long.toString(ceilMillis));
    }
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  private static String format(double value) {
    return String.format("%.2f", value);
  }

  /** One call's result: its status, latency, and for a refusal the retry information. */
  private record Outcome(
      Status status,
      long latencyNanos,
      boolean rightAnswer,
      Duration retryDelay,
      String pushback) {}

  /** Calls sent at a steady pace over the replicas in turn, with every outcome. */
  private record Run(List<Outcome> outcomes, long sendNanos) {

    /**
     * Sends {@code calls} ModelInfer calls evenly over {@code duration}, alternating the replicas,
     * without waiting for answers; returns once every call is answered.
     */
    static Run paced(List<GRPCInferenceServiceStub> replicas, int calls, Duration duration) {
      List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
      List<CompletableFuture<Void>> answered = new ArrayList<>();
      long interval = duration.toNanos() / calls;
      long start = System.nanoTime();
      long lastSend = start;
      for (int i = 0; i < calls; i++) {
        long due = start + i * interval;
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        answered.add(done);
        long sent = System.nanoTime();
        lastSend = sent;
        replicas
            .get(i % replicas.size())
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .modelInfer(
                Tensors.affine(MODEL, "", 1f, 2f, 3f, 4f),
                new StreamObserver<>() {
                  private boolean right;

                  @Override
                  public void onNext(ModelInferResponse response) {
                    right = Tensors.output(response, "y").equals(ANSWER);
                  }

                  @Override
                  public void onError(Throwable t) {
                    outcomes.add(refusal(t, System.nanoTime() - sent));
                    done.complete(null);
                  }

                  @Override
                  public void onCompleted() {
                    outcomes.add(
                        new Outcome(Status.OK, System.nanoTime() - sent, right, null, null));
                    done.complete(null);
                  }
                });
      }
      CompletableFuture.allOf(answered.toArray(CompletableFuture[]::new)).join();
      return new Run(List.copyOf(outcomes), lastSend - start);
    }

    private static Outcome refusal(Throwable t, long latency) {
      Status status = Status.fromThrowable(t);
      Duration delay = null;
      com.google.rpc.Status details = StatusProto.fromThrowable(t);
      if (details != null) {
        for (Any detail : details.getDetailsList()) {
          if (detail.is(RetryInfo.class)) {
            try {
              com.google.protobuf.Duration retry = detail.unpack(RetryInfo.class).getRetryDelay();
              delay = Duration.ofSeconds(retry.getSeconds(), retry.getNanos());
            } catch (InvalidProtocolBufferException e) {
              throw new AssertionError("unreadable RetryInfo", e);
            }
          }
        }
      }
      Metadata trailers = Status.trailersFromThrowable(t);
      return new Outcome(
          status, latency, false, delay, trailers == null ? null : trailers.get(PUSHBACK));
    }

    double sendSeconds() {
      return sendNanos / 1e9;
    }

    long admitted() {
      return outcomes.stream().filter(o -> o.status().isOk()).count();
    }

    long refused() {
      return outcomes.stream()
          .filter(o -> o.status().getCode() == Status.Code.RESOURCE_EXHAUSTED)
          .count();
    }

    List<Status> other() {
      return outcomes.stream()
          .map(Outcome::status)
          .filter(s -> !s.isOk() && s.getCode() != Status.Code.RESOURCE_EXHAUSTED)
          .toList();
    }

    long wrongAnswers() {
      return outcomes.stream().filter(o -> o.status().isOk() && !o.rightAnswer()).count();
    }

    long minRetryMillis() {
      return outcomes.stream()
          .filter(o -> o.retryDelay() != null)
          .mapToLong(o -> o.retryDelay().toMillis())
          .min()
          .orElse(-1);
    }

    long maxRetryMillis() {
      return outcomes.stream()
          .filter(o -> o.retryDelay() != null)
          .mapToLong(o -> o.retryDelay().toMillis())
          .max()
          .orElse(-1);
    }

    /** The latency at quantile {@code q} of the admitted calls, in ms. */
    double percentileMillis(double q) {
      long[] latencies =
          outcomes.stream()
              .filter(o -> o.status().isOk())
              .mapToLong(Outcome::latencyNanos)
              .sorted()
              .toArray();
      if (latencies.length == 0) {
        return Double.NaN;
      }
      int index = (int) Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1);
      return latencies[Math.max(0, index)] / 1e6;
    }
  }
}
