package dev.maas.controlplane.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.maas.controlplane.testing.ControlPlaneExtension;
import dev.maas.controlplane.upload.UploadClient;
import dev.maas.proto.admin.v1.CreateModelRequest;
import dev.maas.proto.admin.v1.Deployment;
import dev.maas.proto.admin.v1.DeploymentServiceGrpc;
import dev.maas.proto.admin.v1.ModelServiceGrpc;
import dev.maas.proto.admin.v1.ModelVersion;
import dev.maas.proto.admin.v1.SetDeploymentRequest;
import dev.maas.proto.admin.v1.VersionState;
import dev.maas.proto.cluster.v1.RoutedVersion;
import dev.maas.proto.cluster.v1.RoutingServiceGrpc;
import dev.maas.proto.cluster.v1.RoutingSnapshot;
import dev.maas.proto.cluster.v1.WatchRoutingRequest;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.InferTensorContents;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferResponse;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole cluster path with real worker processes: upload a real SavedModel, deploy it, see it
 * placed, served and routed, infer on the worker, kill the worker and see the replica move.
 */
class RealWorkerPlacementTest {

  @RegisterExtension
  static final ControlPlaneExtension plane =
      new ControlPlaneExtension()
          .with("maas.cluster.heartbeat-timeout-ms", 2000)
          .with("maas.cluster.reconcile-interval-ms", 250);

  @TempDir Path work;

  @Test
  void deployedModelServesOnARealWorker_andMovesWhenThatWorkerDies() throws Exception {
    plane.createTenant("acme");
    ModelServiceGrpc.newBlockingStub(plane.admin())
        .createModel(CreateModelRequest.newBuilder().setTenant("acme").setName("affine").build());
    WorkerProcess.exportDemoModels(work.resolve("demo"));
    ModelVersion version =
        UploadClient.upload(plane.admin(), "acme", "affine", tar(work.resolve("demo/affine/1")));
    assertThat(version.getState()).isEqualTo(VersionState.VERSION_STATE_READY);
    DeploymentServiceGrpc.newBlockingStub(plane.admin())
        .setDeployment(
            SetDeploymentRequest.newBuilder()
                .setDeployment(
                    Deployment.newBuilder()
                        .setTenant("acme")
                        .setModel("affine")
                        .setDefaultVersion(version.getVersion())
                        .setMinReplicas(1))
                .build());

    String controlPlane = "127.0.0.1:" + plane.grpcPort();
    try (Context.CancellableContext scope = Context.current().withCancellation();
        WorkerProcess a =
            WorkerProcess.start(
                "worker-a", controlPlane, ControlPlaneExtension.CLUSTER_TOKEN, work.resolve("a"));
        WorkerProcess b =
            WorkerProcess.start(
                "worker-b", controlPlane, ControlPlaneExtension.CLUSTER_TOKEN, work.resolve("b"))) {
      AtomicReference<RoutingSnapshot> routing = watch(scope);
      await().atMost(Duration.ofMinutes(2)).until(() -> serving(routing.get()).size() == 1);
      RoutedVersion first = servingVersion(routing.get());
      WorkerProcess chosen = first.getAddresses(0).equals(a.address()) ? a : b;
      WorkerProcess other = chosen == a ? b : a;
      assertThat(infer(chosen.port(), first.getModelId())).containsExactly(3f, 5f, 7f, 9f);

      chosen.kill();

      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> serving(routing.get()).equals(List.of(other.address())));
      assertThat(infer(other.port(), servingVersion(routing.get()).getModelId()))
          .containsExactly(3f, 5f, 7f, 9f);
    }
  }

  private static AtomicReference<RoutingSnapshot> watch(Context.CancellableContext scope) {
    AtomicReference<RoutingSnapshot> latest = new AtomicReference<>();
    scope.run(
        () ->
            RoutingServiceGrpc.newStub(plane.cluster())
                .watchRouting(
                    WatchRoutingRequest.getDefaultInstance(),
                    new StreamObserver<>() {
                      @Override
                      public void onNext(RoutingSnapshot snapshot) {
                        latest.set(snapshot);
                      }

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {}
                    }));
    return latest;
  }

  private static RoutedVersion servingVersion(RoutingSnapshot snapshot) {
    return snapshot.getModelsList().stream()
        .filter(m -> m.getName().equals("affine"))
        .flatMap(m -> m.getVersionsList().stream())
        .findFirst()
        .orElseThrow();
  }

  private static List<String> serving(RoutingSnapshot snapshot) {
    if (snapshot == null) {
      return List.of();
    }
    return snapshot.getModelsList().stream()
        .filter(m -> m.getName().equals("affine"))
        .flatMap(m -> m.getVersionsList().stream())
        .flatMap(v -> v.getAddressesList().stream())
        .toList();
  }

  /** Calls the worker directly, as the gateway would: cluster token and internal model id. */
  private static List<Float> infer(int port, String modelId) throws InterruptedException {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      Metadata headers = new Metadata();
      headers.put(
          Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
          "Bearer " + ControlPlaneExtension.CLUSTER_TOKEN);
      headers.put(Metadata.Key.of("maas-model-id", Metadata.ASCII_STRING_MARSHALLER), modelId);
      ModelInferResponse response =
          GRPCInferenceServiceGrpc.newBlockingStub(
                  ClientInterceptors.intercept(
                      channel, MetadataUtils.newAttachHeadersInterceptor(headers)))
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .modelInfer(
                  ModelInferRequest.newBuilder()
                      .setModelName("affine")
                      .addInputs(
                          ModelInferRequest.InferInputTensor.newBuilder()
                              .setName("x")
                              .setDatatype("FP32")
                              .addShape(1)
                              .addShape(4)
                              .setContents(
                                  InferTensorContents.newBuilder()
                                      .addAllFp32Contents(List.of(1f, 2f, 3f, 4f))))
                      .build());
      assertThat(response.getModelName()).isEqualTo("affine");
      return response.getOutputs(0).getContents().getFp32ContentsList();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** A tar of a SavedModel directory, saved_model.pb at its root. */
  private static byte[] tar(Path directory) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);
        Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        TarArchiveEntry entry =
            new TarArchiveEntry(file.toFile(), directory.relativize(file).toString());
        tar.putArchiveEntry(entry);
        Files.copy(file, tar);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }
}
