package dev.maas.gateway.reliability;

import static dev.maas.gateway.testing.Snapshots.keyText;
import static dev.maas.gateway.testing.Snapshots.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.maas.gateway.testing.Snapshots;
import dev.maas.gateway.testing.TestCluster;
import dev.maas.gateway.testing.TestWorker;
import dev.maas.launch.ConnectionLimits;
import dev.maas.launch.testing.PingInjectingProxy;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.ModelStreamInferResponse;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's tenant-facing gRPC transport under oversized and abusive clients: the message size
 * limit, many requests at the limit at once, the idle-connection timeout and keepalive ping abuse.
 */
class TransportLimitsTest {

  private static final Logger log = LoggerFactory.getLogger(TransportLimitsTest.class);

  private static final int LIMIT = 1 << 20;
  private static final int CONCURRENT = 100;
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private static TestCluster cluster;
  private static TestWorker worker;
  private static ManagedChannel channel;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = TestCluster.start();
    worker = cluster.worker("w1");
    cluster.startGateway(
        options ->
            options
                .withMaxMessageBytes(LIMIT)
                .withConnections(
                    new ConnectionLimits(
                        Duration.ofSeconds(1), ConnectionLimits.DEFAULT_PERMIT_KEEPALIVE_TIME)));
    cluster.publish(
        Snapshots.builder()
            .tenant("acme")
            .key("k", "acme")
            .model("acme", "m", 1, version(1, "m-v1", worker)));
    channel = channel(cluster.gateway().port());
  }

  @AfterAll
  static void stopCluster() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    cluster.close();
  }

  @Test
  void aRequestOneByteOverTheLimit_isResourceExhausted_andOneAtTheLimitIsForwarded() {
    ModelInferRequest atLimit = requestOfSize(LIMIT);
    ModelInferRequest over = requestOfSize(LIMIT + 1);
    assertThat(atLimit.getSerializedSize()).isEqualTo(LIMIT);
    assertThat(over.getSerializedSize()).isEqualTo(LIMIT + 1);
    int before = worker.calls();

    StatusRuntimeException refused =
        catchThrowableOfType(StatusRuntimeException.class, () -> stub().modelInfer(over));
    int afterRefused = worker.calls();
    ModelInferResponse answered = stub().modelInfer(atLimit);

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(refused.getStatus().getDescription()).contains(Integer.toString(LIMIT));
    assertThat(afterRefused).as("calls forwarded for the oversized request").isEqualTo(before);
    assertThat(answered.getModelName()).isEqualTo("m");
    assertThat(worker.lastRequest()).hasSize(LIMIT);
    log.info(
        "gateway message limit {} bytes: {} bytes -> forwarded and answered, {} bytes -> {} ({}),"
            + " not forwarded",
        LIMIT,
        atLimit.getSerializedSize(),
        over.getSerializedSize(),
        refused.getStatus().getCode(),
        refused.getStatus().getDescription());
  }

  @Test
  void hundredConcurrentRequestsAtTheLimit_keepTheHeapBounded() throws Exception {
    ModelInferRequest atLimit = requestOfSize(LIMIT);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    memory.gc();
    long before = memory.getHeapMemoryUsage().getUsed();
    AtomicLong peak = new AtomicLong(before);
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(
        () -> peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max),
        0,
        1,
        TimeUnit.MILLISECONDS);
    GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub future =
        GRPCInferenceServiceGrpc.newFutureStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer()))
            .withDeadlineAfter(2, TimeUnit.MINUTES);
    List<ListenableFuture<ModelInferResponse>> calls = new ArrayList<>();
    for (int i = 0; i < CONCURRENT; i++) {
      calls.add(future.modelInfer(atLimit));
    }
    int answered = 0;
    for (ListenableFuture<ModelInferResponse> call : calls) {
      assertThat(call.get(2, TimeUnit.MINUTES).getModelName()).isEqualTo("m");
      answered++;
    }
    sampler.shutdown();
    sampler.awaitTermination(5, TimeUnit.SECONDS);
    // The client's finished calls are the test's own references, not the server's.
    calls.clear();
    memory.gc();
    long after = memory.getHeapMemoryUsage().getUsed();

    long inFlight = (long) CONCURRENT * LIMIT;
    log.info(
        "gateway, {} concurrent requests of {} bytes ({} MiB in flight): all {} answered; heap"
            + " used before {} MiB, peak {} MiB (+{} MiB, garbage included), after GC {} MiB"
            + " (+{} MiB)",
        CONCURRENT,
        LIMIT,
        inFlight >> 20,
        answered,
        before >> 20,
        peak.get() >> 20,
        (peak.get() - before) >> 20,
        after >> 20,
        (after - before) >> 20);
    // Generous: the peak counts garbage not yet collected, and the client, the gateway and the
    // test worker share one JVM.
    assertThat(peak.get() - before).isLessThan(8 * inFlight);
    assertThat(after - before).isLessThan(8L * LIMIT);
  }

  @Test
  void anIdleConnection_isClosedByTheIdleTimeout_andTheNextCallReconnects() {
    ManagedChannel idle = channel(cluster.gateway().port());
    try {
      HealthGrpc.newBlockingStub(idle).check(HealthCheckRequest.getDefaultInstance());
      assertThat(idle.getState(false)).isEqualTo(ConnectivityState.READY);
      long start = System.nanoTime();

      // The client's own idle timer is 30 minutes: only the gateway's GOAWAY can do this.
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> idle.getState(false) == ConnectivityState.IDLE);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      assertThat(
              HealthGrpc.newBlockingStub(idle)
                  .check(HealthCheckRequest.getDefaultInstance())
                  .getStatus())
          .isEqualTo(ServingStatus.SERVING);
      log.info("idle connection closed by the gateway after {} ms (max idle 1 s)", millis);
    } finally {
      idle.shutdownNow();
    }
  }

  @Test
  void keepalivePingAbuse_isAnsweredWithGoAwayTooManyPings_andOthersAreStillServed()
      throws Exception {
    try (PingInjectingProxy proxy = PingInjectingProxy.start(cluster.gateway().port(), 10)) {
      ManagedChannel abusive = channel(proxy.port());
      try {
        Throwable error =
            PingInjectingProxy.awaitEnd(
                (StreamObserver<ModelStreamInferResponse> observer) ->
                    GRPCInferenceServiceGrpc.newStub(abusive)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer()))
                        .modelStreamInfer(observer));

        assertThat(error).isInstanceOf(StatusRuntimeException.class);
        Status status = ((StatusRuntimeException) error).getStatus();
        // gRPC maps HTTP/2 ENHANCE_YOUR_CALM to RESOURCE_EXHAUSTED (PROTOCOL-HTTP2.md).
        assertThat(status.getCode())
            .as(status.toString())
            .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(status.getDescription())
            .contains("GOAWAY", "ENHANCE_YOUR_CALM", "too_many_pings");
        log.info(
            "gateway, ping flood (10 PINGs at once) ended the call: {} {}",
            status.getCode(),
            status.getDescription());
      } finally {
        abusive.shutdownNow();
      }
    }
    assertThat(
            HealthGrpc.newBlockingStub(channel)
                .check(HealthCheckRequest.getDefaultInstance())
                .getStatus())
        .isEqualTo(ServingStatus.SERVING);
    assertThat(stub().modelInfer(TestCluster.infer("m")).getModelName()).isEqualTo("m");
  }

  private static GRPCInferenceServiceBlockingStub stub() {
    return GRPCInferenceServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer()))
        .withDeadlineAfter(1, TimeUnit.MINUTES);
  }

  private static Metadata bearer() {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + keyText("k"));
    return headers;
  }

  private static ManagedChannel channel(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port)
        .usePlaintext()
        .maxInboundMessageSize(4 * LIMIT)
        .build();
  }

  /** A request for model {@code m} whose serialized size is exactly {@code size}. */
  private static ModelInferRequest requestOfSize(int size) {
    ModelInferRequest small = TestCluster.infer("m");
    ModelInferRequest base =
        small.toBuilder()
            .setRawInputContents(0, ByteString.copyFrom(new byte[size / 2]))
            .clearId()
            .build();
    for (int padding = size - base.getSerializedSize(); padding >= 0; padding--) {
      int field = 1 + CodedOutputStream.computeUInt32SizeNoTag(padding) + padding;
      if (base.getSerializedSize() + field == size) {
        return base.toBuilder().setId("x".repeat(padding)).build();
      }
    }
    throw new AssertionError("cannot pad a request to " + size + " bytes");
  }
}
