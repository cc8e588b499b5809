package dev.maas.worker.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.CodedOutputStream;
import dev.maas.launch.ConnectionLimits;
import dev.maas.launch.testing.PingInjectingProxy;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.ModelStreamInferResponse;
import dev.maas.proto.inference.ServerLiveRequest;
import dev.maas.proto.inference.ServerReadyRequest;
import dev.maas.worker.Worker;
import dev.maas.worker.WorkerOptions;
import dev.maas.worker.demo.DemoModels;
import dev.maas.worker.tensor.DataType;
import dev.maas.worker.tensor.HostTensor;
import dev.maas.worker.testing.DemoRepository;
import dev.maas.worker.testing.TestModels;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
 * The worker's gRPC transport under oversized and abusive clients: the message size limit, many
 * requests at the limit at once, the idle-connection timeout and keepalive ping abuse.
 */
class TransportLimitsTest {

  private static final Logger log = LoggerFactory.getLogger(TransportLimitsTest.class);

  private static final int LIMIT = 1 << 20;
  private static final int FEATURES = 100;
  private static final int ROWS = 2_600;
  private static final int CONCURRENT = 100;

  private static Path repository;
  private static Worker worker;
  private static ManagedChannel channel;

  @BeforeAll
  static void startWorker() throws Exception {
    repository = Files.createTempDirectory("maas-transport");
    DemoRepository.copyModelTo(DemoModels.BINARY_CLASSIFIER, repository);
    TestModels.writeConfig(
        repository,
        DemoModels.BINARY_CLASSIFIER,
        "{\"max_batch_size\": 4096, \"warmup\": {\"batch_sizes\": [1]}}");
    worker =
        Worker.start(
            WorkerOptions.ephemeral(repository)
                .withMaxMessageBytes(LIMIT)
                .withConnections(
                    new ConnectionLimits(
                        Duration.ofSeconds(1), ConnectionLimits.DEFAULT_PERMIT_KEEPALIVE_TIME)));
    await().atMost(Duration.ofMinutes(1)).until(worker::isReady);
    channel = channel(worker.port());
  }

  @AfterAll
  static void stopWorker() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    worker.close();
    DemoRepository.deleteTree(repository);
  }

  @Test
  void aRequestOneByteOverTheLimit_isResourceExhausted_andOneAtTheLimitIsAnswered() {
    ModelInferRequest atLimit = requestOfSize(LIMIT);
    ModelInferRequest over = requestOfSize(LIMIT + 1);
    assertThat(atLimit.getSerializedSize()).isEqualTo(LIMIT);
    assertThat(over.getSerializedSize()).isEqualTo(LIMIT + 1);

    StatusRuntimeException refused =
        catchThrowableOfType(StatusRuntimeException.class, () -> stub().modelInfer(over));
    ModelInferResponse answered = stub().modelInfer(atLimit);

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(refused.getStatus().getDescription()).contains(Integer.toString(LIMIT));
    assertThat(answered.getOutputs(0).getShapeList()).containsExactly((long) ROWS, 1L);
    log.info(
        "worker message limit {} bytes: {} bytes -> OK, {} bytes -> {} ({})",
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
    List<ListenableFuture<ModelInferResponse>> calls = new ArrayList<>();
    GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub future =
        GRPCInferenceServiceGrpc.newFutureStub(channel).withDeadlineAfter(2, TimeUnit.MINUTES);
    for (int i = 0; i < CONCURRENT; i++) {
      calls.add(future.modelInfer(atLimit));
    }
    int answered = 0;
    for (ListenableFuture<ModelInferResponse> call : calls) {
      assertThat(call.get(2, TimeUnit.MINUTES).getOutputs(0).getShapeList())
          .containsExactly((long) ROWS, 1L);
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
        "{} concurrent requests of {} bytes ({} MiB in flight): all {} answered; heap used"
            + " before {} MiB, peak {} MiB (+{} MiB, garbage included), after GC {} MiB (+{} MiB)",
        CONCURRENT,
        LIMIT,
        inFlight >> 20,
        answered,
        before >> 20,
        peak.get() >> 20,
        (peak.get() - before) >> 20,
        after >> 20,
        (after - before) >> 20);
    // Generous: the peak counts garbage not yet collected, client and worker in one JVM.
    assertThat(peak.get() - before).isLessThan(8 * inFlight);
    // Nothing of the requests stays reachable once they are answered.
    assertThat(after - before).isLessThan(8L * LIMIT);
  }

  @Test
  void anIdleConnection_isClosedByTheIdleTimeout_andTheNextCallReconnects() {
    ManagedChannel idle = channel(worker.port());
    try {
      HealthGrpc.newBlockingStub(idle).check(HealthCheckRequest.getDefaultInstance());
      assertThat(idle.getState(false)).isEqualTo(ConnectivityState.READY);
      long start = System.nanoTime();

      // The client's own idle timer is 30 minutes: only the worker's GOAWAY can do this.
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> idle.getState(false) == ConnectivityState.IDLE);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      assertThat(
              GRPCInferenceServiceGrpc.newBlockingStub(idle)
                  .serverLive(ServerLiveRequest.getDefaultInstance())
                  .getLive())
          .isTrue();
      log.info("idle connection closed by the worker after {} ms (max idle 1 s)", millis);
    } finally {
      idle.shutdownNow();
    }
  }

  @Test
  void keepalivePingAbuse_isAnsweredWithGoAwayTooManyPings_andOthersAreStillServed()
      throws Exception {
    try (PingInjectingProxy proxy = PingInjectingProxy.start(worker.port(), 10)) {
      ManagedChannel abusive = channel(proxy.port());
      try {
        Throwable error =
            PingInjectingProxy.awaitEnd(
                (StreamObserver<ModelStreamInferResponse> observer) ->
                    GRPCInferenceServiceGrpc.newStub(abusive).modelStreamInfer(observer));

        assertThat(error).isInstanceOf(StatusRuntimeException.class);
        Status status = ((StatusRuntimeException) error).getStatus();
        // gRPC maps HTTP/2 ENHANCE_YOUR_CALM to RESOURCE_EXHAUSTED (PROTOCOL-HTTP2.md), not
        // UNAVAILABLE: the client should slow down rather than retry at once.
        assertThat(status.getCode())
            .as(status.toString())
            .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(status.getDescription())
            .contains("GOAWAY", "ENHANCE_YOUR_CALM", "too_many_pings");
        log.info(
            "ping flood (10 PINGs at once) ended the call: {} {}",
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
    assertThat(stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    assertThat(stub().modelInfer(requestOfSize(4096)).getOutputsCount()).isEqualTo(1);
  }

  private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub() {
    return GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.MINUTES);
  }

  private static ManagedChannel channel(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port)
        .usePlaintext()
        .maxInboundMessageSize(4 * LIMIT)
        .build();
  }

  /**
   * A valid binary_classifier request (up to {@link #ROWS} rows of features) whose serialized size
   * is exactly {@code size}, padded with its {@code id}.
   */
  private static ModelInferRequest requestOfSize(int size) {
    int rows = Math.min(ROWS, (size - 64) / (FEATURES * 4));
    HostTensor features =
        Tensors.random("features", DataType.FP32, new long[] {rows, FEATURES}, new Random(rows));
    ModelInferRequest base = Tensors.request(DemoModels.BINARY_CLASSIFIER, List.of(features), true);
    for (int padding = size - base.getSerializedSize(); padding >= 0; padding--) {
      int field = 1 + CodedOutputStream.computeUInt32SizeNoTag(padding) + padding;
      if (base.getSerializedSize() + field == size) {
        return base.toBuilder().setId("x".repeat(padding)).build();
      }
    }
    throw new AssertionError("cannot pad a request to " + size + " bytes");
  }
}
