package dev.maas.gateway.grpc;

import static dev.maas.gateway.testing.Snapshots.keyText;
import static dev.maas.gateway.testing.Snapshots.version;
import static dev.maas.gateway.testing.StatusAssertions.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.gateway.testing.Snapshots;
import dev.maas.gateway.testing.TestCluster;
import dev.maas.gateway.testing.TestWorker;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.maas.proto.inference.ModelStatisticsRequest;
import dev.maas.proto.inference.ServerMetadataRequest;
import dev.maas.proto.inference.ServerReadyRequest;
import io.grpc.Status;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Server rpcs answered by the gateway, the unimplemented one, reflection and metrics. */
class ServerSurfaceTest {

  private TestCluster cluster;
  private GRPCInferenceServiceBlockingStub client;

  @BeforeEach
  void start() throws Exception {
    cluster = TestCluster.start();
    TestWorker worker = cluster.worker("w1");
    cluster.startGateway(options -> options.withMetricsPort(0));
    cluster.publish(
        Snapshots.builder()
            .tenant("acme")
            .key("k", "acme")
            .model("acme", "m", 1, version(1, "m-v1", worker)));
    client = cluster.client(keyText("k"));
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  @Test
  void serverMetadataAndReady_areAnsweredByTheGateway() {
    assertThat(client.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName())
        .isEqualTo("maas-gateway");
    assertThat(client.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
  }

  @Test
  void modelStatistics_isUnimplemented_withAReason() {
    assertFailsWith(
            Status.Code.UNIMPLEMENTED,
            () -> client.modelStatistics(ModelStatisticsRequest.getDefaultInstance()))
        .contains("ModelStatistics");
  }

  @Test
  void reflection_describesTheInferenceService_withoutAKey() throws Exception {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(cluster.channel())
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse value) {
                    answer.complete(value);
                  }

                  @Override
                  public void onError(Throwable t) {
                    answer.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(
        ServerReflectionRequest.newBuilder()
            .setFileContainingSymbol("inference.GRPCInferenceService")
            .build());
    ServerReflectionResponse response = answer.get(5, TimeUnit.SECONDS);
    requests.onCompleted();

    assertThat(response.getFileDescriptorResponse().getFileDescriptorProtoCount()).isPositive();
  }

  @Test
  void reflection_listsInferenceHealthAndReflection() throws Exception {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(cluster.channel())
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse value) {
                    answer.complete(value);
                  }

                  @Override
                  public void onError(Throwable t) {
                    answer.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    ServerReflectionResponse response = answer.get(5, TimeUnit.SECONDS);
    requests.onCompleted();

    assertThat(response.getListServicesResponse().getServiceList())
        .extracting(ServiceResponse::getName)
        .contains("inference.GRPCInferenceService", "grpc.health.v1.Health");
  }

  @Test
  void metricsEndpoint_countsCallsByTenantModelAndCode() throws Exception {
    client.modelInfer(TestCluster.infer("m"));
    assertFailsWith(Status.Code.NOT_FOUND, () -> client.modelInfer(TestCluster.infer("nope")));

    HttpResponse<String> metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + cluster.gateway().metricsPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains(
            "maas_gateway_requests_total{code=\"OK\",model=\"m\",rpc=\"ModelInfer\",tenant=\"acme\"} 1.0")
        .contains(
            "maas_gateway_requests_total{code=\"NOT_FOUND\",model=\"\",rpc=\"ModelInfer\",tenant=\"acme\"} 1.0")
        .contains("maas_gateway_request_duration_seconds_bucket")
        .contains("maas_gateway_snapshot_version");
  }
}
