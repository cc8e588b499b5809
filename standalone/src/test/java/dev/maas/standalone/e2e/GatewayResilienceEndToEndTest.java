package dev.maas.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.maas.proto.admin.v1.Scope;
import dev.maas.proto.admin.v1.UsageRecord;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.standalone.testing.Tensors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway when parts of the cluster fail, on a real cluster (control plane on PostgreSQL, two
 * worker processes, the gateway on loopback): a worker process killed under load, the control plane
 * stopped and started again, and usage metered across that restart.
 */
class GatewayResilienceEndToEndTest {

  @RegisterExtension static final EndToEndCluster cluster = new EndToEndCluster();

  private static final Logger log = LoggerFactory.getLogger(GatewayResilienceEndToEndTest.class);

  private static final String MODEL = "affine";
  private static final List<Float> TWO_X_PLUS_ONE = List.of(3f, 5f, 7f, 9f);
  private static final Duration LOAD_PROGRESS = Duration.ofSeconds(60);

  /**
   * The stated retry budget (docs/gateway.md, Routing) is {@code --max-attempts} attempts per call
   * across replicas, 3 by default, the next replica being one the call has not tried: with one of
   * two replicas alive, every call reaches the live one within its second attempt. So no call may
   * fail at all.
   */
  @Test
  void killingOneOfTwoWorkerProcessesUnderLoad_failsNoCall() throws Exception {
    ClusterAdmin admin = cluster.admin();
    admin.createTenant("failover");
    admin.setRate("failover", 100_000, 100_000);
    String key = admin.createKey("failover", Scope.SCOPE_INFER);
    admin.createModel("failover", MODEL);
    long version = admin.uploadAffine("failover", MODEL, 2f, 1f);
    admin.deploy("failover", MODEL, version, 2, Map.of());
    await("two serving replicas")
        .atMost(EndToEndCluster.SERVING_TIMEOUT)
        .until(() -> cluster.routedVersion("failover", MODEL, version).getAddressesCount() == 2);
    cluster.awaitServing(key, MODEL, "");
    WorkerProcess victim = cluster.workers().get(0);
    WorkerProcess survivor = cluster.workers().get(1);
    assertThat(cluster.routedVersion("failover", MODEL, version).getAddressesList())
        .containsExactlyInAnyOrder(victim.address(), survivor.address());
    double retriesBefore = retries();

    try (LoadGenerator load = new LoadGenerator(() -> assertAffine(cluster.gatewayAs(key)))) {
      load.start(4);
      await().atMost(LOAD_PROGRESS).until(() -> load.successes() >= 300);
      load.phase("after the kill");

      victim.kill();

      await("the dead worker dropped from routing")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  cluster
                      .routedVersion("failover", MODEL, version)
                      .getAddressesList()
                      .equals(List.of(survivor.address())));
      long dropped = load.calls();
      await().atMost(LOAD_PROGRESS).until(() -> load.calls() >= dropped + 300);
      load.close();
      log.info(
          "worker killed under load: {} calls succeeded, {} failed, {} attempts retried",
          load.successes(),
          load.failures().size(),
          retries() - retriesBefore);

      assertThat(load.failures()).isEmpty();
      assertThat(load.successes()).isGreaterThanOrEqualTo(600);
    }
    assertThat(victim.alive()).isFalse();
    assertThat(retries()).as("attempts retried on the other replica").isGreaterThan(retriesBefore);
  }

  /**
   * Calls go on through the whole outage: while the control plane drains, while it is down, and
   * after it is back. "Once back" is from the gateway's first snapshot of the restarted control
   * plane (the gateway reconnects with backoff); from the revoke call's return the key must be
   * refused within 1 s.
   */
  @Test
  void controlPlaneAway_callsKeepSucceeding_andOnceBackARevokedKeyIsRefusedWithinOneSecond()
      throws Exception {
    ClusterAdmin admin = cluster.admin();
    admin.createTenant("outage");
    admin.setRate("outage", 100_000, 100_000);
    String key = admin.createKey("outage", Scope.SCOPE_INFER);
    String doomed = admin.createKey("outage", Scope.SCOPE_INFER);
    admin.createModel("outage", MODEL);
    long version = admin.uploadAffine("outage", MODEL, 2f, 1f);
    admin.deploy("outage", MODEL, version, 1, Map.of());
    cluster.awaitServing(key, MODEL, "");
    cluster.awaitServing(doomed, MODEL, "");

    SoftAssertions softly = new SoftAssertions();
    try (LoadGenerator load = new LoadGenerator(() -> assertAffine(cluster.gatewayAs(key)))) {
      load.start(2);
      await().atMost(LOAD_PROGRESS).until(() -> load.successes() >= 100);

      load.phase("stopping");
      long stopping = System.nanoTime();
      cluster.stopControlPlane();
      log.info("control plane stopped in {} ms", (System.nanoTime() - stopping) / 1_000_000);
      load.phase("stopped");
      long lastSnapshot = cluster.gateway().snapshotVersion();
      long stopped = load.calls();
      softly
          .assertThatCode(() -> assertAffine(cluster.gatewayAs(doomed)))
          .as("a call with the other key while stopped")
          .doesNotThrowAnyException();
      await().atMost(LOAD_PROGRESS).until(() -> load.calls() >= stopped + 200);

      load.phase("restarted");
      long starting = System.nanoTime();
      cluster.startControlPlane();
      await("the gateway's first snapshot from the restarted control plane")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> cluster.gateway().snapshotVersion() > lastSnapshot);
      log.info(
          "control plane started and the gateway reconnected in {} ms",
          (System.nanoTime() - starting) / 1_000_000);

      cluster.admin().revoke("outage", doomed);
      Throwable late =
          catchThrowable(
              () ->
                  await()
                      .atMost(Duration.ofSeconds(1))
                      .pollDelay(Duration.ZERO)
                      .pollInterval(Duration.ofMillis(10))
                      .until(
                          () ->
                              statusOf(cluster.gatewayAs(doomed)) == Status.Code.UNAUTHENTICATED));
      softly.assertThat(late).as("the revoked key refused within 1 s").isNull();

      await("the worker healthy again")
          .atMost(Duration.ofSeconds(30))
          .until(() -> cluster.routedVersion("outage", MODEL, version).getAddressesCount() == 1);
      long healed = load.calls();
      await().atMost(LOAD_PROGRESS).until(() -> load.calls() >= healed + 200);
      load.close();

      softly.assertThat(load.failuresIn("stopping")).as("failures while stopping").isEmpty();
      softly.assertThat(load.failuresIn("stopped")).as("failures while stopped").isEmpty();
      softly.assertThat(load.failuresIn("restarted")).as("failures after the restart").isEmpty();
    }
    softly.assertAll();
  }

  /**
   * Calls made while the control plane is away must succeed (static stability) and be billed once
   * it is back; a call that failed unrouted is not billed, so the usage expected is the calls
   * before the stop plus the calls that succeeded while it was away: N + M when all succeed.
   */
  @Test
  void usageReported_equalsTheCallsMade_acrossAControlPlaneRestart() throws Exception {
    ClusterAdmin admin = cluster.admin();
    admin.createTenant("metered");
    admin.setRate("metered", 100_000, 100_000);
    String key = admin.createKey("metered", Scope.SCOPE_INFER);
    admin.createModel("metered", "counted");
    long version = admin.uploadAffine("metered", "counted", 2f, 1f);
    admin.deploy("metered", "counted", version, 1, Map.of());
    cluster.awaitServing(key, "counted", "");
    int before = 40;
    int whileAway = 60;

    for (int i = 0; i < before; i++) {
      assertAffine(cluster.gatewayAs(key), "counted");
    }
    cluster.stopControlPlane();
    Map<String, Integer> failedWhileAway = new TreeMap<>();
    for (int i = 0; i < whileAway; i++) {
      Throwable failure = catchThrowable(() -> assertAffine(cluster.gatewayAs(key), "counted"));
      if (failure != null) {
        failedWhileAway.merge(failure.toString(), 1, Integer::sum);
      }
    }
    cluster.startControlPlane();
    int failed = failedWhileAway.values().stream().mapToInt(Integer::intValue).sum();
    long expected = before + whileAway - failed;

    SoftAssertions softly = new SoftAssertions();
    softly
        .assertThat(failedWhileAway)
        .as("calls failed while the control plane was away")
        .isEmpty();
    softly
        .assertThatCode(
            () -> {
              await("usage of every call reported")
                  .atMost(Duration.ofSeconds(60))
                  .until(() -> cluster.admin().requests("metered", "counted") == expected);
              await("no call counted twice")
                  .during(Duration.ofSeconds(2))
                  .atMost(Duration.ofSeconds(5))
                  .until(() -> cluster.admin().requests("metered", "counted") == expected);
            })
        .as("usage of %d calls, each counted once", expected)
        .doesNotThrowAnyException();
    List<UsageRecord> records = cluster.admin().usage("metered", "counted");
    softly
        .assertThat(records.stream().mapToLong(UsageRecord::getRequests).sum())
        .as("requests")
        .isEqualTo(expected);
    softly
        .assertThat(records.stream().mapToLong(UsageRecord::getErrors).sum())
        .as("errors")
        .isZero();
    softly
        .assertThat(records.stream().mapToLong(UsageRecord::getItems).sum())
        .as("items")
        .isEqualTo(expected);
    softly.assertAll();
  }

  private static ModelInferRequest request(String model) {
    return Tensors.affine(model, "", 1, 2, 3, 4);
  }

  private static void assertAffine(GRPCInferenceServiceBlockingStub stub) {
    assertAffine(stub, MODEL);
  }

  private static void assertAffine(GRPCInferenceServiceBlockingStub stub, String model) {
    List<Float> y = Tensors.output(stub.modelInfer(request(model)), "y");
    if (!y.equals(TWO_X_PLUS_ONE)) {
      throw new AssertionError("wrong answer " + y);
    }
  }

  private static Status.Code statusOf(GRPCInferenceServiceBlockingStub stub) {
    try {
      stub.modelInfer(request(MODEL));
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  /** The gateway's {@code maas_gateway_retries_total}, summed over its labels. */
  private static double retries() {
    return cluster
        .gateway()
        .metrics()
        .scrape()
        .lines()
        .filter(line -> line.startsWith("maas_gateway_retries_total"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }
}
