package dev.maas.gateway.testing;

import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.maas.gateway.Gateway;
import dev.maas.gateway.GatewayOptions;
import dev.maas.proto.cluster.v1.RoutingSnapshot;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceStub;
import dev.maas.proto.inference.ModelInferRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A test control plane, test workers and a real gateway on loopback, with clients that present API
 * keys. Close it after each test.
 */
public final class TestCluster implements AutoCloseable {

  /** The cluster token every peer checks. */
  public static final String TOKEN = "test-cluster-token";

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> X_API_KEY =
      Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

  private final TestControlPlane controlPlane;
  private final List<TestWorker> workers = new ArrayList<>();
  private Gateway gateway;
  private ManagedChannel channel;

  private TestCluster() throws IOException {
    controlPlane = TestControlPlane.start();
  }

  /** A cluster with a control plane and nothing else yet. */
  public static TestCluster start() throws IOException {
    return new TestCluster();
  }

  /** The control plane. */
  public TestControlPlane controlPlane() {
    return controlPlane;
  }

  /** Starts a worker. */
  public TestWorker worker(String name) throws IOException {
    TestWorker worker = TestWorker.start(name);
    workers.add(worker);
    return worker;
  }

  /** Starts the gateway with default test options. */
  public Gateway startGateway() throws IOException {
    return startGateway(options -> options);
  }

  /** Starts the gateway with test options changed by {@code customize}. */
  public Gateway startGateway(UnaryOperator<GatewayOptions> customize) throws IOException {
    gateway =
        Gateway.start(customize.apply(GatewayOptions.ephemeral(controlPlane.target(), TOKEN)));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
    return gateway;
  }

  /** The gateway. */
  public Gateway gateway() {
    return gateway;
  }

  /** A channel to the gateway without credentials. */
  public ManagedChannel channel() {
    return channel;
  }

  /** Publishes {@code snapshot} and waits until the gateway uses it. */
  public void publish(Snapshots snapshot) {
    RoutingSnapshot built = snapshot.build();
    controlPlane.publish(built);
    if (gateway != null) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> gateway.snapshotVersion() == built.getVersion());
    }
  }

  /** A blocking client presenting {@code keyText} as {@code authorization: Bearer}. */
  public GRPCInferenceServiceBlockingStub client(String keyText) {
    return GRPCInferenceServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(keyText)));
  }

  /** An async client presenting {@code keyText} as {@code authorization: Bearer}. */
  public GRPCInferenceServiceStub asyncClient(String keyText) {
    return GRPCInferenceServiceGrpc.newStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(keyText)));
  }

  /** A blocking client presenting {@code keyText} as {@code x-api-key}. */
  public GRPCInferenceServiceBlockingStub clientWithApiKeyHeader(String keyText) {
    Metadata headers = new Metadata();
    headers.put(X_API_KEY, keyText);
    return GRPCInferenceServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** A blocking client sending {@code authorization} as given. */
  public GRPCInferenceServiceBlockingStub clientWithAuthorization(String authorization) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, authorization);
    return GRPCInferenceServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** An inference request for {@code model} (any version). */
  public static ModelInferRequest infer(String model) {
    return infer(model, "");
  }

  /** An inference request for {@code model} at {@code version}. */
  public static ModelInferRequest infer(String model, String version) {
    return ModelInferRequest.newBuilder()
        .setModelName(model)
        .setModelVersion(version)
        .setId("request-1")
        .addInputs(
            ModelInferRequest.InferInputTensor.newBuilder()
                .setName("x")
                .setDatatype("FP32")
                .addShape(1)
                .addShape(4))
        .addRawInputContents(ByteString.copyFrom(new byte[16]))
        .build();
  }

  @Override
  public void close() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (gateway != null) {
      gateway.close();
    }
    for (TestWorker worker : workers) {
      worker.close();
    }
    controlPlane.close();
  }

  private static Metadata bearer(String keyText) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + keyText);
    return headers;
  }
}
