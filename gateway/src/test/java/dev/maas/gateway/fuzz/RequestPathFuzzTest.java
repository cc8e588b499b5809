package dev.maas.gateway.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import dev.maas.gateway.auth.ApiKeyAuthInterceptor;
import dev.maas.gateway.auth.ApiKeyVerifier;
import dev.maas.gateway.auth.PermissionDeniedException;
import dev.maas.gateway.auth.Principal;
import dev.maas.gateway.forwarding.ModelRef;
import dev.maas.gateway.forwarding.RawMethods;
import dev.maas.gateway.forwarding.RequestFields;
import dev.maas.gateway.grpc.GatewayStatusMapping;
import dev.maas.gateway.quota.Admission;
import dev.maas.gateway.quota.QuotaEnforcer;
import dev.maas.gateway.quota.ReplicaShare;
import dev.maas.gateway.routing.ModelResolver;
import dev.maas.gateway.routing.Route;
import dev.maas.gateway.routing.VersionSelector;
import dev.maas.gateway.snapshot.KeyEntry;
import dev.maas.gateway.snapshot.ModelRoute;
import dev.maas.gateway.snapshot.RoutingTable;
import dev.maas.gateway.snapshot.SnapshotHolder;
import dev.maas.gateway.snapshot.TenantEntry;
import dev.maas.gateway.snapshot.TenantQuota;
import dev.maas.gateway.snapshot.VersionRoute;
import dev.maas.proto.inference.InferTensorContents;
import dev.maas.proto.inference.ModelInferRequest;
import io.github.bucket4j.TimeMeter;
import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fuzzes the gateway's request path before forwarding, in the order {@code ForwardedCalls}
 * dispatches a ModelInfer call: API-key authentication from the call's metadata, the tenant, the
 * request-size quota, reading name and version from the raw bytes, resolution inside the caller's
 * tenant, and admission by the rate, concurrency and monthly quotas. The invariant: every refusal
 * maps to a documented status (never INTERNAL or UNKNOWN), and every admitted call resolves to a
 * serving version of the caller's own model. Corpus: {@code
 * src/test/resources/dev/maas/gateway/fuzz/RequestPathFuzzTestInputs}.
 */
class RequestPathFuzzTest {

  private static final Instant NOW = Instant.parse("2026-05-15T12:00:00Z");

  /** What authentication may answer with a snapshot present. */
  private static final Set<Status.Code> AUTH_CODES =
      EnumSet.of(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED);

  /** What the rest of the path may answer (UNAVAILABLE: a version without a serving replica). */
  private static final Set<Status.Code> PATH_CODES =
      EnumSet.of(
          Status.Code.INVALID_ARGUMENT,
          Status.Code.NOT_FOUND,
          Status.Code.PERMISSION_DENIED,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.UNAVAILABLE);

  /** Key texts the table knows: every outcome of authentication has one. */
  private static final List<String> KEYS =
      List.of(
          keyText("acme1", "s3cret-acme"), // acme, infer
          keyText("acme2", "s3cret-acme2"), // acme, manage only
          keyText("acme3", "s3cret-acme3"), // acme, expired
          keyText("globex1", "s3cret_globex-1"), // globex (limited quotas), infer
          keyText("initech1", "s3cret-initech"), // initech, suspended
          keyText("ghost1", "s3cret-ghost")); // tenant missing from the table

  /** Model names worth trying: own, another tenant's, internal ids, hostile paths. */
  private static final List<String> NAMES =
      List.of(
          "lenet",
          "binary_classifier",
          "secret_model",
          "m-acme-lenet",
          "acme/lenet",
          "../lenet",
          "lenet\u0000",
          "",
          "LENET");

  private static final List<String> VERSIONS =
      List.of("", "1", "2", "3", "0", "-1", "01", "+1", "9223372036854775807", "1e3", " 1");

  private static final MutableTime TIME = new MutableTime();
  private static final SnapshotHolder SNAPSHOTS = new SnapshotHolder();
  private static final ApiKeyAuthInterceptor AUTH =
      new ApiKeyAuthInterceptor(
          new ApiKeyVerifier(Clock.fixed(NOW, ZoneOffset.UTC)),
          SNAPSHOTS,
          GatewayStatusMapping::toException,
          Set.of());
  private static final ModelResolver RESOLVER = new ModelResolver(new VersionSelector());
  private static final QuotaEnforcer QUOTAS =
      new QuotaEnforcer(new ReplicaShare(2), TIME, Clock.fixed(NOW, ZoneOffset.UTC));

  static {
    RoutingTable table = table();
    SNAPSHOTS.update(table);
    QUOTAS.onSnapshot(table);
  }

  @FuzzTest
  void admit_arbitraryKeyNameVersionAndBytes_failsOnlyWithMappedStatuses(FuzzedDataProvider data) {
    TIME.advance(Duration.ofMillis(data.consumeInt(0, 2_000)));
    Metadata headers = new Metadata();
    switch (data.consumeInt(0, 3)) {
      case 0 -> headers.put(authorization(), "Bearer " + key(data));
      case 1 -> headers.put(apiKey(), key(data));
      case 2 -> headers.put(authorization(), data.consumeAsciiString(80));
      default -> {
        // no key at all
      }
    }
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder();
    if (data.consumeBoolean()) {
      request.setModelName(data.consumeBoolean() ? data.pickValue(NAMES) : data.consumeString(24));
    }
    if (data.consumeBoolean()) {
      request.setModelVersion(
          data.consumeBoolean() ? data.pickValue(VERSIONS) : data.consumeString(12));
    }
    if (data.consumeBoolean()) {
      request.setId(data.consumeString(16));
    }
    if (data.consumeBoolean()) {
      request.addInputs(
          ModelInferRequest.InferInputTensor.newBuilder()
              .setName("features")
              .setDatatype("FP32")
              .addShape(1)
              .addShape(data.consumeInt(0, 2_000))
              .setContents(InferTensorContents.newBuilder().addFp32Contents(1f)));
    }
    // Trailing bytes: more fields, a repeated name or version, or garbage.
    byte[] bytes =
        request
            .build()
            .toByteString()
            .concat(ByteString.copyFrom(data.consumeBytes(64)))
            .toByteArray();
    runCall(headers, bytes);
  }

  @FuzzTest
  void admit_rawRequestBytes_failsOnlyWithMappedStatuses(byte[] bytes) {
    TIME.advance(Duration.ofMillis(10));
    Metadata headers = new Metadata();
    headers.put(authorization(), "Bearer " + KEYS.get(0));
    runCall(headers, bytes);
  }

  /** Runs one call through authentication and the path behind it, and checks the outcome. */
  private static void runCall(Metadata headers, byte[] bytes) {
    RecordingCall call = new RecordingCall();
    Principal[] caller = new Principal[1];
    ServerCallHandler<byte[], byte[]> next =
        (started, metadata) -> {
          caller[0] = Principal.current();
          return new ServerCall.Listener<>() {};
        };
    AUTH.interceptCall(call, headers, next);
    if (caller[0] == null) {
      assertThat(call.closed).as("a refused call is closed").isNotNull();
      assertThat(AUTH_CODES).contains(call.closed.getCode());
      assertThat(call.closed.getDescription()).isNotBlank();
      return;
    }
    assertThat(call.closed).as("an admitted call is left open").isNull();
    try {
      dispatch(caller[0], bytes);
    } catch (RuntimeException e) {
      StatusRuntimeException status = GatewayStatusMapping.toException(e);
      assertThat(PATH_CODES).as("status for %s", e).contains(status.getStatus().getCode());
      assertThat(status.getStatus().getDescription()).isNotBlank();
    }
  }

  /** What {@code ForwardedCalls.dispatch} does before it forwards a metered request. */
  private static void dispatch(Principal caller, byte[] bytes) {
    RoutingTable table = SNAPSHOTS.require();
    TenantEntry tenant =
        table
            .tenant(caller.tenant())
            .orElseThrow(() -> new PermissionDeniedException("tenant is suspended"));
    QUOTAS.checkRequestBytes(tenant, bytes.length);
    ModelRef ref = RequestFields.read(bytes);
    Route route = RESOLVER.resolve(table, caller.tenant(), ref.name(), ref.version());
    try (Admission admission = QUOTAS.admit(tenant, route.model())) {
      assertThat(route.model().tenant()).isEqualTo(caller.tenant());
      assertThat(route.model().name()).isEqualTo(ref.name());
      assertThat(route.version().isServing()).isTrue();
      assertThat(route.model().versions()).containsValue(route.version());
      if (!ref.version().isEmpty()) {
        assertThat(route.version().version()).isEqualTo(Long.parseLong(ref.version()));
      }
    }
    assertThat(QUOTAS.inFlight(caller.tenant())).isZero();
  }

  private static String key(FuzzedDataProvider data) {
    return switch (data.consumeInt(0, 3)) {
      case 0 -> data.consumeAsciiString(80);
      case 1 -> {
        String key = data.pickValue(KEYS);
        int cut = data.consumeInt(0, key.length());
        yield key.substring(0, cut) + data.consumeAsciiString(4) + key.substring(cut);
      }
      default -> data.pickValue(KEYS);
    };
  }

  private static RoutingTable table() {
    TenantQuota limited = new TenantQuota(5, 10, 1, 4_096, 1_000_000, 0);
    return new RoutingTable(
        1,
        NOW,
        List.of(
            key("acme1", "s3cret-acme", "acme", true, null),
            key("acme2", "s3cret-acme2", "acme", false, null),
            key("acme3", "s3cret-acme3", "acme", true, NOW.minusSeconds(1)),
            key("globex1", "s3cret_globex-1", "globex", true, NOW.plusSeconds(3_600)),
            key("initech1", "s3cret-initech", "initech", true, null),
            key("ghost1", "s3cret-ghost", "ghost", true, null)),
        List.of(
            new TenantEntry("acme", true, TenantQuota.unlimited()),
            new TenantEntry("globex", true, limited),
            new TenantEntry("initech", false, TenantQuota.unlimited())),
        List.of(
            model("acme", "lenet", 1, Map.of(), 0, version(1, true), version(2, false)),
            model(
                "acme",
                "binary_classifier",
                2,
                Map.of(1L, 30, 2L, 70),
                0,
                version(1, true),
                version(2, true),
                version(3, false)),
            model("acme", "LENET", 7, Map.of(), 0, version(1, true)),
            model("globex", "secret_model", 1, Map.of(), 3, version(1, true)),
            model("globex", "lenet", 1, Map.of(), 0, version(1, true)),
            model("initech", "lenet", 1, Map.of(), 0, version(1, true))));
  }

  private static ModelRoute model(
      String tenant,
      String name,
      long defaultVersion,
      Map<Long, Integer> split,
      double rateLimit,
      VersionRoute... versions) {
    TreeMap<Long, VersionRoute> byNumber = new TreeMap<>();
    for (VersionRoute version : versions) {
      byNumber.put(version.version(), version);
    }
    return new ModelRoute(tenant, name, defaultVersion, split, rateLimit, byNumber);
  }

  private static VersionRoute version(long number, boolean serving) {
    return new VersionRoute(
        number, "m-" + number, serving ? List.of("127.0.0.1:" + (9000 + number)) : List.of());
  }

  private static KeyEntry key(
      String keyId, String secret, String tenant, boolean infer, Instant expires) {
    return new KeyEntry(keyId, sha256(secret), tenant, infer, expires);
  }

  private static String keyText(String keyId, String secret) {
    return "mk_" + keyId + "_" + secret;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Metadata.Key<String> authorization() {
    return Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  }

  private static Metadata.Key<String> apiKey() {
    return Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
  }

  /** The token buckets' clock, moved forward by each input. */
  private static final class MutableTime implements TimeMeter {
    private final AtomicLong nanos = new AtomicLong();

    void advance(Duration by) {
      nanos.addAndGet(by.toNanos());
    }

    @Override
    public long currentTimeNanos() {
      return nanos.get();
    }

    @Override
    public boolean isWallClockBased() {
      return false;
    }
  }

  /** A ModelInfer call that records how the interceptor closed it. */
  private static final class RecordingCall extends ServerCall<byte[], byte[]> {
    private Status closed;

    @Override
    public void request(int numMessages) {}

    @Override
    public void sendHeaders(Metadata headers) {}

    @Override
    public void sendMessage(byte[] message) {}

    @Override
    public void close(Status status, Metadata trailers) {
      assertThat(closed).as("closed once").isNull();
      closed = status;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public Attributes getAttributes() {
      return Attributes.EMPTY;
    }

    @Override
    public MethodDescriptor<byte[], byte[]> getMethodDescriptor() {
      return RawMethods.MODEL_INFER;
    }
  }
}
