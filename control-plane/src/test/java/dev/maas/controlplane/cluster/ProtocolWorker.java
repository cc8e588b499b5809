package dev.maas.controlplane.cluster;

import dev.maas.proto.cluster.v1.Assignment;
import dev.maas.proto.cluster.v1.AssignmentSet;
import dev.maas.proto.cluster.v1.Device;
import dev.maas.proto.cluster.v1.HeartbeatRequest;
import dev.maas.proto.cluster.v1.PlacementState;
import dev.maas.proto.cluster.v1.PlacementStatus;
import dev.maas.proto.cluster.v1.RegisterWorkerRequest;
import dev.maas.proto.cluster.v1.WatchAssignmentsRequest;
import dev.maas.proto.cluster.v1.WorkerRegistryGrpc;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The worker side of the cluster protocol, driven by a test: registers, heartbeats with the states
 * the test sets, and keeps the latest assignment set. It stands in for a worker's cluster source so
 * placement can be tested without loading models; workers themselves are tested against it in the
 * worker module.
 */
final class ProtocolWorker implements AutoCloseable {

  private final String id;
  private final WorkerRegistryGrpc.WorkerRegistryBlockingStub registry;
  private final Context.CancellableContext scope = Context.current().withCancellation();
  private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
  private final AtomicReference<AssignmentSet> assignments = new AtomicReference<>();
  private final Map<String, PlacementStatus> states = new ConcurrentHashMap<>();

  ProtocolWorker(Channel cluster, String id, String address, int slots) {
    this.id = id;
    this.registry = WorkerRegistryGrpc.newBlockingStub(cluster);
    registry.registerWorker(
        RegisterWorkerRequest.newBuilder()
            .setWorkerId(id)
            .setAddress(address)
            .setDevice(Device.DEVICE_CPU)
            .setSlots(slots)
            .build());
    heartbeats.scheduleAtFixedRate(this::heartbeat, 0, 200, TimeUnit.MILLISECONDS);
    scope.run(
        () ->
            WorkerRegistryGrpc.newStub(cluster)
                .watchAssignments(
                    WatchAssignmentsRequest.newBuilder().setWorkerId(id).build(),
                    new StreamObserver<>() {
                      @Override
                      public void onNext(AssignmentSet set) {
                        assignments.set(set);
                      }

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {}
                    }));
  }

  /** The assignments last received. */
  List<Assignment> assignments() {
    AssignmentSet set = assignments.get();
    return set == null ? List.of() : set.getAssignmentsList();
  }

  /** Reports every current assignment as {@code state} from the next heartbeat on. */
  void reportAll(PlacementState state) {
    reportAll(state, "");
  }

  /**
   * Reports every current assignment as {@code state} with {@code reason} from the next beat on.
   */
  void reportAll(PlacementState state, String reason) {
    assignments()
        .forEach(
            a ->
                states.put(
                    a.getPlacementId(),
                    PlacementStatus.newBuilder()
                        .setPlacementId(a.getPlacementId())
                        .setState(state)
                        .setReason(reason)
                        .build()));
  }

  /** Stops heartbeating, as a crashed worker would. */
  void goSilent() {
    heartbeats.shutdownNow();
  }

  private void heartbeat() {
    HeartbeatRequest.Builder beat = HeartbeatRequest.newBuilder().setWorkerId(id);
    beat.addAllPlacements(states.values());
    try {
      registry.heartbeat(beat.build());
    } catch (RuntimeException e) {
      // The control plane may be restarting; the next beat retries.
    }
  }

  @Override
  public void close() {
    heartbeats.shutdownNow();
    scope.cancel(null);
  }
}
