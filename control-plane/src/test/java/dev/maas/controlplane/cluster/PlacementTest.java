package dev.maas.controlplane.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.maas.controlplane.testing.ClusterFixtures;
import dev.maas.controlplane.testing.ControlPlaneExtension;
import dev.maas.proto.admin.v1.DeploymentServiceGrpc;
import dev.maas.proto.admin.v1.GetDeploymentRequest;
import dev.maas.proto.admin.v1.GetModelRequest;
import dev.maas.proto.admin.v1.ListWorkersRequest;
import dev.maas.proto.admin.v1.ModelServiceGrpc;
import dev.maas.proto.admin.v1.ReplicaState;
import dev.maas.proto.admin.v1.ReplicaStatus;
import dev.maas.proto.admin.v1.WorkerServiceGrpc;
import dev.maas.proto.cluster.v1.Assignment;
import dev.maas.proto.cluster.v1.PlacementState;
import dev.maas.proto.cluster.v1.RoutedModel;
import dev.maas.proto.cluster.v1.RoutingServiceGrpc;
import dev.maas.proto.cluster.v1.RoutingSnapshot;
import dev.maas.proto.cluster.v1.WatchRoutingRequest;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PlacementTest {

  @RegisterExtension
  static final ControlPlaneExtension plane =
      new ControlPlaneExtension()
          .with("maas.cluster.heartbeat-timeout-ms", 1500)
          .with("maas.cluster.reconcile-interval-ms", 200);

  @BeforeAll
  static void tenant() {
    plane.createTenant("acme");
  }

  private static AtomicReference<RoutingSnapshot> watchRouting(Context.CancellableContext scope) {
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

  private static List<String> servingAddresses(RoutingSnapshot snapshot, String model) {
    if (snapshot == null) {
      return List.of();
    }
    return snapshot.getModelsList().stream()
        .filter(m -> m.getName().equals(model))
        .flatMap(m -> m.getVersionsList().stream())
        .flatMap(v -> v.getAddressesList().stream())
        .toList();
  }

  private static int placementCount(long modelId) throws Exception {
    try (Connection sql = plane.sql();
        PreparedStatement select =
            sql.prepareStatement("select count(*) from placements where model_id = ?")) {
      select.setLong(1, modelId);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  @Test
  void deployedVersionIsPlaced_servedAddressIsRouted_andMovedWhenItsWorkerGoesSilent()
      throws Exception {
    long modelId;
    try (Connection sql = plane.sql()) {
      modelId = ClusterFixtures.readyModel(sql, "acme", "lenet", 1);
    }
    try (Context.CancellableContext scope = Context.current().withCancellation();
        ProtocolWorker first = new ProtocolWorker(plane.cluster(), "w1", "10.0.0.1:9001", 4)) {
      AtomicReference<RoutingSnapshot> routing = watchRouting(scope);
      try (Connection sql = plane.sql()) {
        ClusterFixtures.deploy(sql, modelId, 1, 1);
      }

      await().atMost(Duration.ofSeconds(10)).until(() -> first.assignments().size() == 1);
      Assignment assignment = first.assignments().get(0);
      assertThat(assignment.getModelId()).isEqualTo("m" + modelId + "-v1");
      assertThat(assignment.getTenant()).isEqualTo("acme");
      assertThat(assignment.getArtifactSha256()).hasSize(64);
      // Deployed but not yet serving: listed, without addresses.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  routing.get() != null
                      && routing.get().getModelsList().stream()
                          .anyMatch(
                              m ->
                                  m.getName().equals("lenet")
                                      && m.getVersionsCount() == 1
                                      && m.getVersions(0).getVersion() == 1
                                      && m.getVersions(0).getAddressesCount() == 0));

      first.reportAll(PlacementState.PLACEMENT_STATE_SERVING);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> servingAddresses(routing.get(), "lenet").equals(List.of("10.0.0.1:9001")));
      RoutedModel routed =
          routing.get().getModelsList().stream()
              .filter(m -> m.getName().equals("lenet"))
              .findFirst()
              .orElseThrow();
      assertThat(routed.getTenant()).isEqualTo("acme");
      assertThat(routed.getDefaultVersion()).isEqualTo(1);
      assertThat(routed.getVersions(0).getModelId()).isEqualTo("m" + modelId + "-v1");

      try (ProtocolWorker second = new ProtocolWorker(plane.cluster(), "w2", "10.0.0.2:9001", 4)) {
        first.goSilent();

        await().atMost(Duration.ofSeconds(15)).until(() -> second.assignments().size() == 1);
        // The silent worker's replica stays until its replacement serves.
        assertThat(placementCount(modelId)).isEqualTo(2);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> servingAddresses(routing.get(), "lenet").isEmpty());

        second.reportAll(PlacementState.PLACEMENT_STATE_SERVING);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> servingAddresses(routing.get(), "lenet").equals(List.of("10.0.0.2:9001")));
        await().atMost(Duration.ofSeconds(10)).until(() -> placementCount(modelId) == 1);
        assertThat(
                WorkerServiceGrpc.newBlockingStub(plane.admin())
                    .listWorkers(ListWorkersRequest.getDefaultInstance())
                    .getWorkersList())
            .anySatisfy(w -> assertThat(w.getId().equals("w1") && !w.getHealthy()).isTrue());
      }
    }
  }

  @Test
  void replicasSpreadOverWorkers_andUndeployingRemovesThem() throws Exception {
    long modelId;
    try (Connection sql = plane.sql()) {
      modelId = ClusterFixtures.readyModel(sql, "acme", "spread", 1);
    }
    try (ProtocolWorker a = new ProtocolWorker(plane.cluster(), "spread-a", "10.0.1.1:9001", 4);
        ProtocolWorker b = new ProtocolWorker(plane.cluster(), "spread-b", "10.0.1.2:9001", 4)) {
      try (Connection sql = plane.sql()) {
        ClusterFixtures.deploy(sql, modelId, 1, 2);
      }
      String modelName = "m" + modelId + "-v1";
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  a.assignments().stream().anyMatch(x -> x.getModelId().equals(modelName))
                      && b.assignments().stream().anyMatch(x -> x.getModelId().equals(modelName)));

      try (Connection sql = plane.sql();
          PreparedStatement delete =
              sql.prepareStatement("delete from deployments where model_id = ?")) {
        delete.setLong(1, modelId);
        delete.executeUpdate();
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  a.assignments().stream().noneMatch(x -> x.getModelId().equals(modelName))
                      && b.assignments().stream().noneMatch(x -> x.getModelId().equals(modelName)));
      assertThat(placementCount(modelId)).isZero();
    }
  }

  private static List<ReplicaStatus> replicasOf(String model) {
    return DeploymentServiceGrpc.newBlockingStub(plane.admin())
        .getDeployment(GetDeploymentRequest.newBuilder().setTenant("acme").setModel(model).build())
        .getDeployment()
        .getReplicasList();
  }

  @Test
  void replicaThatFailedToLoad_showsItsReasonThroughGetDeploymentAndGetModel() throws Exception {
    long modelId;
    try (Connection sql = plane.sql()) {
      modelId = ClusterFixtures.readyModel(sql, "acme", "broken", 1);
    }
    try (ProtocolWorker worker =
        new ProtocolWorker(plane.cluster(), "fails-1", "10.0.2.1:9001", 4)) {
      try (Connection sql = plane.sql()) {
        ClusterFixtures.deploy(sql, modelId, 1, 1);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> worker.assignments().size() == 1);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  replicasOf("broken").stream()
                      .anyMatch(r -> r.getState() == ReplicaState.REPLICA_STATE_LOADING));

      String reason = "Attempting to use uninitialized value scale";
      worker.reportAll(PlacementState.PLACEMENT_STATE_FAILED, reason);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  replicasOf("broken").stream()
                      .anyMatch(r -> r.getState() == ReplicaState.REPLICA_STATE_FAILED));

      // Other workers of this class may get a replacement placement: only the failed one counts.
      ReplicaStatus replica =
          replicasOf("broken").stream()
              .filter(r -> r.getWorker().equals("fails-1"))
              .findFirst()
              .orElseThrow();
      assertThat(replica.getState()).isEqualTo(ReplicaState.REPLICA_STATE_FAILED);
      assertThat(replica.getVersion()).isEqualTo(1);
      assertThat(replica.getWorker()).isEqualTo("fails-1");
      assertThat(replica.getReason()).isEqualTo(reason);
      assertThat(replica.getWorkerHealthy()).isTrue();
      assertThat(replica.hasUpdateTime()).isTrue();
      assertThat(
              ModelServiceGrpc.newBlockingStub(plane.admin())
                  .getModel(
                      GetModelRequest.newBuilder().setTenant("acme").setName("broken").build())
                  .getDeployment()
                  .getReplicasList())
          .contains(replica);
    }
  }
}
