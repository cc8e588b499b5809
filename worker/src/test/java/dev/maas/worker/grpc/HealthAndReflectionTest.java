package dev.maas.worker.grpc;

import static dev.maas.worker.grpc.StatusAssertions.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.maas.worker.testing.WorkerExtension;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** grpc.health.v1.Health per server and per model, and gRPC server reflection. */
class HealthAndReflectionTest {

  @RegisterExtension static final WorkerExtension worker = WorkerExtension.withDemoModels();

  private static final List<String> DEMO_MODELS =
      List.of("lenet", "binary_classifier", "affine", "strings", "dtypes");

  @Test
  void health_serverInferenceServiceAndEveryModel_areServing() {
    // The worker publishes health right after it turns ready, so allow that moment to pass.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(check("")).isEqualTo(ServingStatus.SERVING));

    assertThat(check("inference.GRPCInferenceService")).isEqualTo(ServingStatus.SERVING);
    for (String model : DEMO_MODELS) {
      assertThat(check(model)).as(model).isEqualTo(ServingStatus.SERVING);
    }
  }

  @Test
  void health_unknownService_isNotFound() {
    assertFailsWith(Status.Code.NOT_FOUND, () -> check("nope"));
  }

  @Test
  void reflection_listsTheInferenceHealthAndReflectionServices() throws Exception {
    ServerReflectionResponse response =
        reflect(ServerReflectionRequest.newBuilder().setListServices("").build());

    assertThat(response.getListServicesResponse().getServiceList())
        .extracting(ServiceResponse::getName)
        .contains(
            "inference.GRPCInferenceService",
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection");
  }

  @Test
  void reflection_describesTheInferenceServiceInPackageInference() throws Exception {
    ServerReflectionResponse response =
        reflect(
            ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol("inference.GRPCInferenceService")
                .build());

    List<FileDescriptorProto> files =
        response.getFileDescriptorResponse().getFileDescriptorProtoList().stream()
            .map(HealthAndReflectionTest::parse)
            .toList();
    FileDescriptorProto service =
        files.stream()
            .filter(
                f ->
                    f.getServiceList().stream()
                        .anyMatch(s -> s.getName().equals("GRPCInferenceService")))
            .findFirst()
            .orElseThrow();
    assertThat(service.getPackage()).isEqualTo("inference");
    assertThat(service.getService(0).getMethodList())
        .extracting(MethodDescriptorProto::getName)
        .contains(
            "ServerLive",
            "ServerReady",
            "ModelReady",
            "ServerMetadata",
            "ModelMetadata",
            "ModelInfer",
            "ModelStreamInfer",
            "ModelStatistics",
            "RepositoryIndex");
  }

  private static ServingStatus check(String service) {
    return HealthGrpc.newBlockingStub(worker.channel())
        .check(HealthCheckRequest.newBuilder().setService(service).build())
        .getStatus();
  }

  /** Sends one reflection request on its own stream and returns the one answer. */
  private static ServerReflectionResponse reflect(ServerReflectionRequest request)
      throws Exception {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(worker.channel())
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse response) {
                    answer.complete(response);
                  }

                  @Override
                  public void onError(Throwable t) {
                    answer.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    answer.completeExceptionally(
                        new AssertionError("reflection stream ended without an answer"));
                  }
                });
    requests.onNext(request);
    requests.onCompleted();
    ServerReflectionResponse response = answer.get(10, TimeUnit.SECONDS);
    assertThat(response.hasErrorResponse()).as("reflection error %s", response).isFalse();
    return response;
  }

  private static FileDescriptorProto parse(ByteString bytes) {
    try {
      return FileDescriptorProto.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("reflection sent a malformed file descriptor", e);
    }
  }
}
