package dev.maas.gateway.forwarding;

import static dev.maas.gateway.testing.Snapshots.keyText;
import static dev.maas.gateway.testing.Snapshots.version;
import static dev.maas.gateway.testing.StatusAssertions.assertFailsWith;
import static dev.maas.gateway.testing.TestCluster.infer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.maas.gateway.testing.Snapshots;
import dev.maas.gateway.testing.TestCluster;
import dev.maas.gateway.testing.TestWorker;
import dev.maas.proto.inference.ModelInferResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bytes pass untouched; deadlines and cancellation reach the worker. */
class ForwardingTest {

  private TestCluster cluster;
  private TestWorker worker;

  @BeforeEach
  void start() throws Exception {
    cluster = TestCluster.start();
    worker = cluster.worker("w1");
    cluster.startGateway();
    cluster.publish(
        Snapshots.builder()
            .tenant("acme")
            .key("k", "acme")
            .model("acme", "m", 1, version(1, "m-v1", worker)));
  }

  @AfterEach
  void stop() throws Exception {
    worker.releaseAll();
    cluster.close();
  }

  @Test
  void requestBytes_reachTheWorkerUnchanged_evenInNonCanonicalOrder() throws Exception {
    // Field 7 (raw input) before field 1, an unknown field 99, and the name given twice: a
    // gateway that parsed and re-encoded the message would reorder or merge these.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeBytes(7, ByteString.copyFrom(new byte[] {1, 2, 3, 4}));
    out.writeString(1, "other");
    out.writeString(99, "unknown");
    out.writeString(1, "m");
    out.flush();
    byte[] request = bytes.toByteArray();

    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + keyText("k"));
    Channel withKey =
        ClientInterceptors.intercept(
            cluster.channel(), MetadataUtils.newAttachHeadersInterceptor(headers));

    byte[] response =
        ClientCalls.blockingUnaryCall(
            withKey, RawMethods.MODEL_INFER, CallOptions.DEFAULT, request);

    assertThat(worker.lastRequest()).isEqualTo(request);
    assertThat(ModelInferResponse.parseFrom(response).getModelName()).isEqualTo("m");
  }

  @Test
  void workerSeesTheCallersDeadline() {
    ModelInferResponse response =
        cluster.client(keyText("k")).withDeadlineAfter(5, TimeUnit.SECONDS).modelInfer(infer("m"));

    assertThat(response.getParametersOrThrow("deadline").getBoolParam()).isTrue();
    assertThat(worker.lastDeadlineMillis()).isBetween(1L, 5000L);
  }

  @Test
  void callWithoutDeadline_reachesTheWorkerWithout() {
    assertThat(
            cluster
                .client(keyText("k"))
                .modelInfer(infer("m"))
                .getParametersOrThrow("deadline")
                .getBoolParam())
        .isFalse();
  }

  @Test
  void deadlinePassing_whileTheWorkerHoldsTheCall_isDeadlineExceeded() {
    worker.hold();
    assertFailsWith(
        Status.Code.DEADLINE_EXCEEDED,
        () ->
            cluster
                .client(keyText("k"))
                .withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                .modelInfer(infer("m")));
    await().atMost(Duration.ofSeconds(5)).until(() -> worker.cancelledCalls() == 1);
  }

  @Test
  void cancelledCaller_cancelsTheWorkerCall() {
    worker.hold();
    Context.CancellableContext context = Context.current().withCancellation();
    context.run(
        () ->
            cluster
                .asyncClient(keyText("k"))
                .modelInfer(
                    infer("m"),
                    new StreamObserver<>() {
                      @Override
                      public void onNext(ModelInferResponse value) {}

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {}
                    }));
    await().atMost(Duration.ofSeconds(5)).until(() -> worker.heldCalls() == 1);

    context.cancel(null);

    await().atMost(Duration.ofSeconds(5)).until(() -> worker.cancelledCalls() == 1);
  }
}
