package dev.maas.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import dev.maas.proto.admin.v1.Scope;
import dev.maas.proto.cluster.v1.RoutedVersion;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.ModelReadyRequest;
import dev.maas.proto.inference.RepositoryIndexRequest;
import dev.maas.proto.inference.RepositoryIndexResponse.ModelIndex;
import dev.maas.standalone.testing.Tensors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway end to end on a real cluster (control plane on PostgreSQL, two worker processes, the
 * gateway on loopback): the authentication matrix, tenant isolation, quotas and the traffic split,
 * every call over real gRPC; and the latency of a small call direct to a worker and through the
 * gateway, measured and logged.
 */
class GatewayEndToEndTest {

  @RegisterExtension static final EndToEndCluster cluster = new EndToEndCluster();

  private static final Logger log = LoggerFactory.getLogger(GatewayEndToEndTest.class);

  private static final String TENANT = "auth";
  private static final String MODEL = "affine";
  private static final List<Float> TWO_X_PLUS_ONE = List.of(3f, 5f, 7f, 9f);
  private static final List<Float> THREE_X_PLUS_ONE = List.of(4f, 7f, 10f, 13f);
  private static final Metadata.Key<String> RETRY_PUSHBACK =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);
  private static final Duration KEY_CHANGE = Duration.ofSeconds(10);

  private static String key;

  @BeforeAll
  static void deployAModel() {
    ClusterAdmin admin = cluster.admin();
    admin.createTenant(TENANT);
    key = admin.createKey(TENANT, Scope.SCOPE_INFER);
    deployAffine(admin, TENANT, MODEL, 2f, 1f);
    cluster.awaitServing(key, MODEL, "");
  }

  @Test
  void validKey_isAcceptedAsABearerTokenAndAsXApiKey() {
    assertThat(y(cluster.gatewayAs(key), MODEL)).isEqualTo(TWO_X_PLUS_ONE);
    assertThat(y(cluster.gatewayWith(header("x-api-key", key)), MODEL)).isEqualTo(TWO_X_PLUS_ONE);
  }

  @Test
  void missingKey_isUnauthenticated() {
    Status status = statusOf(cluster.gatewayWith(new Metadata()), MODEL);

    assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(status.getDescription()).startsWith("missing API key");
  }

  @Test
  void malformedKeys_areUnauthenticated() {
    String keyId = key.substring(3, key.indexOf('_', 3));
    List<Metadata> malformed =
        List.of(
            header("authorization", "Bearer not-a-key"),
            header("authorization", "Basic " + key),
            header("authorization", key),
            header("x-api-key", "mk_" + keyId),
            header("x-api-key", "mk_" + "a".repeat(65) + "_secret"),
            header("x-api-key", key + "!"));

    SoftAssertions softly = new SoftAssertions();
    for (Metadata headers : malformed) {
      Status status = statusOf(cluster.gatewayWith(headers), MODEL);
      softly.assertThat(status.getCode()).as("%s", headers).isEqualTo(Status.Code.UNAUTHENTICATED);
      softly.assertThat(status.getDescription()).as("%s", headers).isEqualTo("malformed API key");
    }
    softly.assertAll();
  }

  @Test
  void unknownKeyId_andAWrongSecretOfAKnownId_areUnauthenticatedAlike() {
    String keyId = key.substring(3, key.indexOf('_', 3));
    Status unknown = statusOf(cluster.gatewayAs("mk_unknown0key0id_" + "s".repeat(32)), MODEL);
    Status wrongSecret = statusOf(cluster.gatewayAs("mk_" + keyId + "_" + "s".repeat(32)), MODEL);

    assertThat(unknown.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(unknown.getDescription()).isEqualTo("invalid API key");
    assertThat(wrongSecret.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(wrongSecret.getDescription()).isEqualTo("invalid API key");
  }

  @Test
  void revokedKey_isUnauthenticated_asAnUnknownOne() {
    String revoked = cluster.admin().createKey(TENANT, Scope.SCOPE_INFER);
    await().atMost(KEY_CHANGE).until(() -> statusOf(cluster.gatewayAs(revoked), MODEL).isOk());

    cluster.admin().revoke(TENANT, revoked);

    await().atMost(KEY_CHANGE).until(() -> !statusOf(cluster.gatewayAs(revoked), MODEL).isOk());
    Status status = statusOf(cluster.gatewayAs(revoked), MODEL);
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(status.getDescription()).isEqualTo("invalid API key");
  }

  @Test
  void expiredKey_isUnauthenticated() {
    String expiring =
        cluster.admin().createExpiringKey(TENANT, Instant.now().plusSeconds(2), Scope.SCOPE_INFER);

    await()
        .atMost(KEY_CHANGE)
        .until(
            () ->
                "API key has expired"
                    .equals(statusOf(cluster.gatewayAs(expiring), MODEL).getDescription()));
    assertThat(statusOf(cluster.gatewayAs(expiring), MODEL).getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void keyWithoutTheInferScope_isPermissionDenied() {
    String manageOnly = cluster.admin().createKey(TENANT, Scope.SCOPE_MANAGE);

    await()
        .atMost(KEY_CHANGE)
        .until(
            () ->
                statusOf(cluster.gatewayAs(manageOnly), MODEL).getCode()
                    == Status.Code.PERMISSION_DENIED);
    assertThat(statusOf(cluster.gatewayAs(manageOnly), MODEL).getDescription())
        .isEqualTo("API key lacks the 'infer' scope");
  }

  @Test
  void keyOfASuspendedTenant_isPermissionDenied() {
    ClusterAdmin admin = cluster.admin();
    admin.createTenant("suspended");
    String suspendedKey = admin.createKey("suspended", Scope.SCOPE_INFER);
    // Authenticated, so the gateway gets as far as the (missing) model.
    await()
        .atMost(KEY_CHANGE)
        .until(
            () ->
                statusOf(cluster.gatewayAs(suspendedKey), MODEL).getCode()
                    == Status.Code.NOT_FOUND);

    admin.suspendTenant("suspended");

    await()
        .atMost(KEY_CHANGE)
        .until(
            () ->
                statusOf(cluster.gatewayAs(suspendedKey), MODEL).getCode()
                    == Status.Code.PERMISSION_DENIED);
    assertThat(statusOf(cluster.gatewayAs(suspendedKey), MODEL).getDescription())
        .isEqualTo("tenant is suspended");
  }

  @Test
  void twoTenantsWithAModelOfTheSameName_eachGetTheirOwnAnswers_andCannotReachTheOthers() {
    ClusterAdmin admin = cluster.admin();
    admin.createTenant("iso-a");
    admin.createTenant("iso-b");
    String keyA = admin.createKey("iso-a", Scope.SCOPE_INFER);
    String keyB = admin.createKey("iso-b", Scope.SCOPE_INFER);
    deployAffine(admin, "iso-a", "shared", 2f, 1f);
    deployAffine(admin, "iso-b", "shared", 3f, 1f);
    cluster.awaitServing(keyA, "shared", "");
    cluster.awaitServing(keyB, "shared", "");

    for (int i = 0; i < 50; i++) {
      assertThat(y(cluster.gatewayAs(keyA), "shared")).isEqualTo(TWO_X_PLUS_ONE);
      assertThat(y(cluster.gatewayAs(keyB), "shared")).isEqualTo(THREE_X_PLUS_ONE);
    }
    assertThat(y(cluster.gatewayAs(keyA), "shared", "1")).isEqualTo(TWO_X_PLUS_ONE);
    assertThat(y(cluster.gatewayAs(keyB), "shared", "1")).isEqualTo(THREE_X_PLUS_ONE);

    RoutedVersion internalB = cluster.routedVersion("iso-b", "shared", 1);
    assertThat(internalB.getModelId()).isNotEmpty();
    Status byInternalName = statusOf(cluster.gatewayAs(keyA), internalB.getModelId());
    Status missing = statusOf(cluster.gatewayAs(keyA), "no-such-model");
    assertThat(byInternalName.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(byInternalName.getDescription())
        .isEqualTo(missing.getDescription().replace("no-such-model", internalB.getModelId()));
    assertThat(statusOf(cluster.gatewayAs(key), "shared").getCode())
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            cluster
                .gatewayAs(key)
                .modelReady(ModelReadyRequest.newBuilder().setName("shared").build())
                .getReady())
        .isFalse();
    assertThat(
            cluster
                .gatewayAs(keyA)
                .repositoryIndex(RepositoryIndexRequest.getDefaultInstance())
                .getModelsList())
        .extracting(ModelIndex::getName, ModelIndex::getVersion)
        .containsExactly(tuple("shared", "1"));
  }

  @Test
  void rateLimit_admitsTheBurst_thenRefusesWithRetryInfo_whileAQuietTenantIsUnaffected()
      throws Exception {
    ClusterAdmin admin = cluster.admin();
    admin.createTenant("noisy");
    admin.createTenant("quiet");
    // One token every 10 s after a burst of 5: the test runs well within one refill.
    admin.setRate("noisy", 0.1, 5);
    String noisy = admin.createKey("noisy", Scope.SCOPE_INFER);
    String quiet = admin.createKey("quiet", Scope.SCOPE_INFER);
    deployAffine(admin, "noisy", MODEL, 2f, 1f);
    deployAffine(admin, "quiet", MODEL, 3f, 1f);
    cluster.awaitServing(noisy, MODEL, "");
    cluster.awaitServing(quiet, MODEL, "");

    for (int i = 0; i < 5; i++) {
      assertThat(y(cluster.gatewayAs(noisy), MODEL)).as("call %d of the burst", i).hasSize(4);
    }
    StatusRuntimeException refused =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> cluster.gatewayAs(noisy).modelInfer(affineRequest(MODEL, "")));

    assertThat(refused).isNotNull();
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(refused.getStatus().getDescription()).isEqualTo("request rate limit exceeded");
    com.google.rpc.Status details = StatusProto.fromThrowable(refused);
    assertThat(details).isNotNull();
    Any retryDetail =
        details.getDetailsList().stream()
            .filter(detail -> detail.is(RetryInfo.class))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no RetryInfo in " + details));
    com.google.protobuf.Duration delay = retryDetail.unpack(RetryInfo.class).getRetryDelay();
    assertThat(Duration.ofSeconds(delay.getSeconds(), delay.getNanos()))
        .isPositive()
        .isLessThanOrEqualTo(Duration.ofSeconds(10));
    Metadata trailers = Status.trailersFromThrowable(refused);
    assertThat(trailers).isNotNull();
    assertThat(Long.parseLong(trailers.get(RETRY_PUSHBACK))).isBetween(1L, 10_000L);

    AtomicLong refusals = new AtomicLong();
    try (LoadGenerator noise =
        new LoadGenerator(
                () -> {
                  Status status = statusOf(cluster.gatewayAs(noisy), MODEL);
                  if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                    refusals.incrementAndGet();
                  } else if (!status.isOk()) {
                    throw status.asRuntimeException();
                  }
                })
            .start(2)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> refusals.get() >= 20);
      long refusedBefore = refusals.get();
      for (int i = 0; i < 50; i++) {
        assertThat(y(cluster.gatewayAs(quiet), MODEL))
            .as("quiet call %d", i)
            .isEqualTo(THREE_X_PLUS_ONE);
      }
      assertThat(refusals.get()).as("noisy calls refused meanwhile").isGreaterThan(refusedBefore);
      noise.close();
      assertThat(noise.failures()).isEmpty();
    }
  }

  @Test
  void trafficSplitOfNinetyTen_landsWithinFivePercent_overTwoThousandCalls() throws Exception {
    ClusterAdmin admin = cluster.admin();
    admin.createTenant("split");
    admin.setRate("split", 100_000, 100_000);
    String splitKey = admin.createKey("split", Scope.SCOPE_INFER);
    admin.createModel("split", MODEL);
    long first = admin.uploadAffine("split", MODEL, 2f, 1f);
    long second = admin.uploadAffine("split", MODEL, 3f, 1f);
    admin.deploy("split", MODEL, first, 1, Map.of(first, 90, second, 10));
    // Split versions without a serving replica are left out of the draw: wait for both.
    cluster.awaitServing(splitKey, MODEL, Long.toString(first));
    cluster.awaitServing(splitKey, MODEL, Long.toString(second));

    AtomicInteger toFirst = new AtomicInteger();
    AtomicInteger toSecond = new AtomicInteger();
    List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    runInParallel(
        4,
        500,
        () -> {
          ModelInferResponse response =
              cluster.gatewayAs(splitKey).modelInfer(affineRequest(MODEL, ""));
          List<Float> y = Tensors.output(response, "y");
          if (y.equals(TWO_X_PLUS_ONE) && response.getModelVersion().equals("" + first)) {
            toFirst.incrementAndGet();
          } else if (y.equals(THREE_X_PLUS_ONE) && response.getModelVersion().equals("" + second)) {
            toSecond.incrementAndGet();
          } else {
            unexpected.add(response.getModelVersion() + " " + y);
          }
        });

    log.info("traffic split 90/10: {} to version 1, {} to version 2", toFirst, toSecond);
    assertThat(unexpected).isEmpty();
    assertThat(toFirst.get() + toSecond.get()).isEqualTo(2000);
    assertThat(toFirst.get() / 2000.0).isBetween(0.85, 0.95);
  }

  /**
   * Measures, not asserts: the p50 of a small ModelInfer (affine, [1, 4]) straight to the worker
   * that serves it (cluster token and {@code maas-model-id}, as the gateway calls it) and through
   * the gateway, one call at a time, in the same run. Logged, and written to {@code
   * target/e2e-latency.txt}.
   */
  @Test
  void smallModelInfer_latency_directToAWorker_andThroughTheGateway() throws IOException {
    ClusterAdmin admin = cluster.admin();
    admin.createTenant("latency");
    admin.setRate("latency", 100_000, 100_000);
    String latencyKey = admin.createKey("latency", Scope.SCOPE_INFER);
    deployAffine(admin, "latency", MODEL, 2f, 1f);
    cluster.awaitServing(latencyKey, MODEL, "");
    RoutedVersion routed = cluster.routedVersion("latency", MODEL, 1);
    assertThat(routed.getAddressesList()).hasSize(1);
    GRPCInferenceServiceBlockingStub direct =
        cluster.workerStub(routed.getAddresses(0), routed.getModelId());
    GRPCInferenceServiceBlockingStub gateway = cluster.gatewayAs(latencyKey);
    ModelInferRequest request = affineRequest(MODEL, "");

    time(direct, request, 500);
    time(gateway, request, 500);
    long[] directNanos = new long[0];
    long[] gatewayNanos = new long[0];
    for (int round = 0; round < 4; round++) {
      directNanos = concat(directNanos, time(direct, request, 500));
      gatewayNanos = concat(gatewayNanos, time(gateway, request, 500));
    }

    String report =
        String.format(
            "small ModelInfer (affine, FP32 [1,4], typed contents), one call at a time, 2000 calls"
                + " each after 500 warm-up, alternating rounds of 500%n"
                + "direct to worker:    %s%nthrough the gateway: %s%n",
            summary(directNanos), summary(gatewayNanos));
    log.info("latency:\n{}", report);
    Path file = Path.of("target", "e2e-latency.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, report, StandardCharsets.UTF_8);
    assertThat(directNanos).hasSize(2000);
    assertThat(gatewayNanos).hasSize(2000);
  }

  // --- helpers

  private static void deployAffine(
      ClusterAdmin admin, String tenant, String model, float scale, float offset) {
    admin.createModel(tenant, model);
    long version = admin.uploadAffine(tenant, model, scale, offset);
    admin.deploy(tenant, model, version, 1, Map.of());
  }

  private static ModelInferRequest affineRequest(String model, String version) {
    return Tensors.affine(model, version, 1, 2, 3, 4);
  }

  private static List<Float> y(GRPCInferenceServiceBlockingStub stub, String model) {
    return y(stub, model, "");
  }

  private static List<Float> y(
      GRPCInferenceServiceBlockingStub stub, String model, String version) {
    return Tensors.output(stub.modelInfer(affineRequest(model, version)), "y");
  }

  /** How a ModelInfer of {@code model} ends: OK, or the status it failed with. */
  private static Status statusOf(GRPCInferenceServiceBlockingStub stub, String model) {
    try {
      stub.modelInfer(affineRequest(model, ""));
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  private static Metadata header(String name, String value) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value);
    return headers;
  }

  /** Runs {@code call} {@code perThread} times on each of {@code threads} threads. */
  private static void runInParallel(int threads, int perThread, LoadGenerator.Call call)
      throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            executor.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    call.run();
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get(5, TimeUnit.MINUTES);
      }
    } finally {
      executor.shutdownNow();
    }
  }

  private static long[] time(
      GRPCInferenceServiceBlockingStub stub, ModelInferRequest request, int calls) {
    long[] nanos = new long[calls];
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      ModelInferResponse response =
          stub.withDeadlineAfter(10, TimeUnit.SECONDS).modelInfer(request);
      nanos[i] = System.nanoTime() - start;
      assertThat(Tensors.output(response, "y")).isEqualTo(TWO_X_PLUS_ONE);
    }
    return nanos;
  }

  private static long[] concat(long[] a, long[] b) {
    long[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private static String summary(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.format(
        "p50 %.3f ms, p90 %.3f ms, p99 %.3f ms (n=%d)",
        percentile(sorted, 0.50),
        percentile(sorted, 0.90),
        percentile(sorted, 0.99),
        sorted.length);
  }

  private static double percentile(long[] sorted, double p) {
    int index = (int) Math.min(sorted.length - 1, Math.floor(p * sorted.length));
    return sorted[index] / 1e6;
  }
}
