package dev.maas.worker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.maas.proto.cluster.v1.Assignment;
import dev.maas.proto.cluster.v1.Device;
import dev.maas.proto.cluster.v1.PlacementState;
import dev.maas.proto.cluster.v1.PlacementStatus;
import dev.maas.proto.cluster.v1.RegisterWorkerRequest;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.maas.proto.inference.InferTensorContents;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferRequest.InferInputTensor;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.ModelMetadataRequest;
import dev.maas.proto.inference.ModelMetadataResponse;
import dev.maas.proto.inference.ModelReadyRequest;
import dev.maas.proto.inference.ModelStreamInferResponse;
import dev.maas.worker.Worker;
import dev.maas.worker.WorkerOptions;
import dev.maas.worker.cluster.TarArchives.Entry;
import dev.maas.worker.demo.DemoModels;
import dev.maas.worker.runtime.SessionSettings;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real worker in cluster mode against a test control-plane peer: assignments are downloaded,
 * checked, unpacked and served; placement states reach the heartbeats; the data plane wants the
 * cluster token and runs the model the {@code maas-model-id} header names.
 */
class ClusterWorkerTest {

  private static final String TOKEN = "cluster-secret-for-tests";
  private static final String MODEL_ID = "acme.affine.3";
  private static final String PLACEMENT = "placement-1";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static byte[] affineArchive;
  private static String affineSha;

  @TempDir Path dir;

  private FakeControlPlane controlPlane;
  private Worker worker;
  private ManagedChannel channel;

  @BeforeAll
  static void exportAffine(@TempDir Path scratch) {
    Path export = scratch.resolve("affine");
    DemoModels.exportAffine(export, 2f, 1f);
    affineArchive = TarArchives.of(export);
    affineSha = FakeControlPlane.sha256(affineArchive);
  }

  @BeforeEach
  void startWorker() throws IOException {
    controlPlane = FakeControlPlane.start();
    controlPlane.putArtifact(affineSha, affineArchive);
    ClusterOptions cluster =
        new ClusterOptions(controlPlane.address(), "", "worker-a", 4, ClusterToken.of(TOKEN));
    worker =
        Worker.start(
            WorkerOptions.ephemeral(dir.resolve("repository"))
                .withCluster(cluster)
                .withPollInterval(Duration.ofSeconds(30)));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", worker.port()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    worker.close();
    controlPlane.close();
  }

  @Test
  void assignedModel_isDownloadedLoadedAndReportedServing() {
    controlPlane.assign(affine(PLACEMENT, MODEL_ID));

    awaitState(PLACEMENT, PlacementState.PLACEMENT_STATE_SERVING);

    assertThat(worker.registry().model(MODEL_ID))
        .hasValueSatisfying(m -> assertThat(m.isReady()).isTrue());
    Path modelDir = dir.resolve("repository").resolve(MODEL_ID);
    assertThat(modelDir.resolve("1").resolve("saved_model.pb")).isRegularFile();
    assertThat(modelDir.resolve("config.json")).hasContent("{\"max_batch_size\": 8}");
    RegisterWorkerRequest registration = controlPlane.registrations().get(0);
    assertThat(registration.getWorkerId()).isEqualTo("worker-a");
    assertThat(registration.getSlots()).isEqualTo(4);
    assertThat(registration.getAddress()).endsWith(":" + worker.port());
    assertThat(registration.getDevice())
        .isEqualTo(
            SessionSettings.defaults().device() == SessionSettings.Device.GPU
                ? Device.DEVICE_GPU
                : Device.DEVICE_CPU);
    assertThat(controlPlane.authorizations()).isNotEmpty().containsOnly("Bearer " + TOKEN);
  }

  @Test
  void inferenceWithModelIdHeader_runsThatModel_andAnswersUnderTheCallersName() throws Exception {
    controlPlane.assign(affine(PLACEMENT, MODEL_ID));
    awaitState(PLACEMENT, PlacementState.PLACEMENT_STATE_SERVING);

    ModelInferResponse response =
        stub(TOKEN, MODEL_ID).modelInfer(request("my-affine", "", 0f, 1f, -2f, 3.5f));
    ModelInferResponse versioned =
        stub(TOKEN, MODEL_ID).modelInfer(request("my-affine", "7", 1f, 1f, 1f, 1f));

    assertThat(response.getModelName()).isEqualTo("my-affine");
    assertThat(response.getOutputs(0).getContents().getFp32ContentsList())
        .containsExactly(1f, 3f, -3f, 8f);
    assertThat(versioned.getModelName()).isEqualTo("my-affine");
    assertThat(versioned.getModelVersion()).isEqualTo("7");
    Metadata chosenByGateway = headers(TOKEN, MODEL_ID);
    chosenByGateway.put(ModelIdInterceptor.VERSION_HEADER, "4");
    ModelInferResponse routed =
        GRPCInferenceServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(chosenByGateway))
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .modelInfer(request("my-affine", "", 1f, 1f, 1f, 1f));
    assertThat(routed.getModelVersion()).isEqualTo("4");
    ModelMetadataResponse metadata =
        stub(TOKEN, MODEL_ID)
            .modelMetadata(ModelMetadataRequest.newBuilder().setName("my-affine").build());
    assertThat(metadata.getName()).isEqualTo("my-affine");
    assertThat(metadata.getInputs(0).getName()).isEqualTo("x");
    assertThat(metadata.getVersionsList()).isEmpty();
    assertThat(
            stub(TOKEN, MODEL_ID)
                .modelReady(ModelReadyRequest.newBuilder().setName("my-affine").build())
                .getReady())
        .isTrue();
    ModelStreamInferResponse streamed = streamOne(request("my-affine", "", 2f, 2f, 2f, 2f));
    assertThat(streamed.getErrorMessage()).isEmpty();
    assertThat(streamed.getInferResponse().getModelName()).isEqualTo("my-affine");
    assertThat(streamed.getInferResponse().getOutputs(0).getContents().getFp32ContentsList())
        .containsExactly(5f, 5f, 5f, 5f);
  }

  @Test
  void unknownModelId_isNotFound_withoutNamingTheInternalId() {
    controlPlane.assign(affine(PLACEMENT, MODEL_ID));
    awaitState(PLACEMENT, PlacementState.PLACEMENT_STATE_SERVING);

    Status status = statusOf(() -> stub(TOKEN, "acme.other.1").modelInfer(request("my-other")));

    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.getDescription()).contains("my-other").doesNotContain("acme.other.1");
  }

  @Test
  void dataPlaneCallsWithoutTheClusterToken_areUnauthenticated_whileHealthStaysOpen() {
    controlPlane.assign(affine(PLACEMENT, MODEL_ID));
    awaitState(PLACEMENT, PlacementState.PLACEMENT_STATE_SERVING);

    Status missing = statusOf(() -> stub(null, MODEL_ID).modelInfer(request("my-affine")));
    Status wrong = statusOf(() -> stub("not-the-token", MODEL_ID).modelInfer(request("my-affine")));
    HealthCheckResponse health =
        HealthGrpc.newBlockingStub(channel)
            .check(HealthCheckRequest.newBuilder().setService(MODEL_ID).build());

    assertThat(missing.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(missing.getDescription()).contains("missing cluster token");
    assertThat(wrong.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  @Test
  void removedAssignment_unloadsTheModel() {
    controlPlane.assign(affine(PLACEMENT, MODEL_ID));
    awaitState(PLACEMENT, PlacementState.PLACEMENT_STATE_SERVING);

    controlPlane.assign();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        statusOf(() -> stub(TOKEN, MODEL_ID).modelInfer(request("my-affine")))
                            .getCode())
                    .isEqualTo(Status.Code.NOT_FOUND));
    assertThat(worker.registry().model(MODEL_ID)).isEmpty();
    assertThat(dir.resolve("repository").resolve(MODEL_ID)).doesNotExist();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(controlPlane.latestHeartbeat())
                    .hasValueSatisfying(h -> assertThat(h.getPlacementsList()).isEmpty()));
  }

  @Test
  void artifactWithTheWrongSha256_isReportedFailed_andNothingServes() {
    String claimed = FakeControlPlane.sha256("something else".getBytes(StandardCharsets.UTF_8));
    controlPlane.putArtifact(claimed, affineArchive);
    controlPlane.assign(
        assignment(PLACEMENT, MODEL_ID, claimed, affineArchive.length, "{\"max_batch_size\": 8}"));

    PlacementStatus failed = awaitState(PLACEMENT, PlacementState.PLACEMENT_STATE_FAILED);

    assertThat(failed.getReason()).contains("SHA-256").contains(claimed).contains(affineSha);
    assertThat(statusOf(() -> stub(TOKEN, MODEL_ID).modelInfer(request("my-affine"))).getCode())
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(dir.resolve("repository").resolve(MODEL_ID)).doesNotExist();
  }

  @Test
  void archiveWithAnEntryOutsideItsDirectory_isReportedFailed_andWritesNothingThere()
      throws IOException {
    byte[] evil =
        TarArchives.of(
            List.of(
                Entry.file("saved_model.pb", "not really"),
                Entry.file("../evil", "escaped"),
                Entry.file("../../evil", "escaped")));
    String sha = FakeControlPlane.sha256(evil);
    controlPlane.putArtifact(sha, evil);
    controlPlane.assign(assignment(PLACEMENT, MODEL_ID, sha, evil.length, ""));

    PlacementStatus failed = awaitState(PLACEMENT, PlacementState.PLACEMENT_STATE_FAILED);

    assertThat(failed.getReason()).contains("../evil").contains("leaves its directory");
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("evil");
    }
    assertThat(worker.registry().model(MODEL_ID)).isEmpty();
  }

  @Test
  void droppedAssignmentStream_isReconnected_whileTheWorkerKeepsServing() {
    controlPlane.assign(affine(PLACEMENT, MODEL_ID));
    awaitState(PLACEMENT, PlacementState.PLACEMENT_STATE_SERVING);
    int watchesBefore = controlPlane.watchCalls();

    controlPlane.refuseWatches(true);
    controlPlane.dropStreams();

    await().atMost(WAIT).until(() -> controlPlane.watchCalls() >= watchesBefore + 2);
    assertThat(controlPlane.openStreams()).isZero();
    assertThat(stub(TOKEN, MODEL_ID).modelInfer(request("my-affine")).getModelName())
        .isEqualTo("my-affine");
    assertThat(controlPlane.reported(PLACEMENT))
        .hasValueSatisfying(
            p -> assertThat(p.getState()).isEqualTo(PlacementState.PLACEMENT_STATE_SERVING));

    controlPlane.refuseWatches(false);
    await().atMost(WAIT).until(() -> controlPlane.openStreams() == 1);
    controlPlane.assign();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        statusOf(() -> stub(TOKEN, MODEL_ID).modelInfer(request("my-affine")))
                            .getCode())
                    .isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void heartbeatAnsweredUnknown_makesTheWorkerRegisterAgain() {
    await().atMost(WAIT).until(() -> controlPlane.registrations().size() == 1);

    controlPlane.forgetWorkerOnce();

    await().atMost(WAIT).until(() -> controlPlane.registrations().size() == 2);
    assertThat(controlPlane.registrations().get(1).getWorkerId()).isEqualTo("worker-a");
  }

  private PlacementStatus awaitState(String placementId, PlacementState state) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(controlPlane.reported(placementId))
                    .hasValueSatisfying(p -> assertThat(p.getState()).isEqualTo(state)));
    return controlPlane.reported(placementId).orElseThrow();
  }

  private static Assignment affine(String placementId, String modelId) {
    return assignment(
        placementId, modelId, affineSha, affineArchive.length, "{\"max_batch_size\": 8}");
  }

  private static Assignment assignment(
      String placementId, String modelId, String sha, long size, String config) {
    return Assignment.newBuilder()
        .setPlacementId(placementId)
        .setModelId(modelId)
        .setTenant("acme")
        .setArtifactSha256(sha)
        .setArtifactSizeBytes(size)
        .setConfigJson(config)
        .build();
  }

  /** A stub sending the token (unless null) and the model id header (unless null). */
  private GRPCInferenceServiceBlockingStub stub(String token, String modelId) {
    return GRPCInferenceServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers(token, modelId)))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static Metadata headers(String token, String modelId) {
    Metadata headers = new Metadata();
    if (token != null) {
      headers.put(ClusterTokenInterceptor.AUTHORIZATION, "Bearer " + token);
    }
    if (modelId != null) {
      headers.put(ModelIdInterceptor.HEADER, modelId);
    }
    return headers;
  }

  private ModelStreamInferResponse streamOne(ModelInferRequest request) throws Exception {
    CompletableFuture<ModelStreamInferResponse> answer = new CompletableFuture<>();
    StreamObserver<ModelInferRequest> requests =
        GRPCInferenceServiceGrpc.newStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers(TOKEN, MODEL_ID)))
            .modelStreamInfer(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ModelStreamInferResponse value) {
                    answer.complete(value);
                  }

                  @Override
                  public void onError(Throwable t) {
                    answer.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    answer.completeExceptionally(new AssertionError("no answer on the stream"));
                  }
                });
    requests.onNext(request);
    requests.onCompleted();
    return answer.get(30, TimeUnit.SECONDS);
  }

  /** An FP32 [1,4] request for input x. */
  private static ModelInferRequest request(String modelName, String version, float... x) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (float v : x) {
      contents.addFp32Contents(v);
    }
    return ModelInferRequest.newBuilder()
        .setModelName(modelName)
        .setModelVersion(version)
        .addInputs(
            InferInputTensor.newBuilder()
                .setName("x")
                .setDatatype("FP32")
                .addShape(1)
                .addShape(4)
                .setContents(contents))
        .build();
  }

  private static ModelInferRequest request(String modelName) {
    return request(modelName, "", 1f, 2f, 3f, 4f);
  }

  private static Status statusOf(Runnable call) {
    StatusRuntimeException thrown = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(thrown).as("the call should fail").isNotNull();
    return thrown.getStatus();
  }
}
