package dev.maas.controlplane.cluster;

import dev.maas.controlplane.db.Database;
import dev.maas.controlplane.grpc.Calls;
import dev.maas.controlplane.grpc.ClusterApi;
import dev.maas.controlplane.problem.Problem;
import dev.maas.proto.cluster.v1.AssignmentSet;
import dev.maas.proto.cluster.v1.HeartbeatRequest;
import dev.maas.proto.cluster.v1.HeartbeatResponse;
import dev.maas.proto.cluster.v1.RegisterWorkerRequest;
import dev.maas.proto.cluster.v1.RegisterWorkerResponse;
import dev.maas.proto.cluster.v1.WatchAssignmentsRequest;
import dev.maas.proto.cluster.v1.WorkerRegistryGrpc;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;
import java.util.UUID;
import java.util.regex.Pattern;

/** Workers register, heartbeat with their placements' states, and watch their assignments. */
@Singleton
final class WorkerRegistryGrpcService extends WorkerRegistryGrpc.WorkerRegistryImplBase
    implements ClusterApi {

  private static final Pattern ADDRESS = Pattern.compile("[^\\s:]+:[0-9]{1,5}");

  private final Database database;
  private final ClusterConfig config;
  private final AssignmentPublisher assignments;

  WorkerRegistryGrpcService(
      Database database, ClusterConfig config, AssignmentPublisher assignments) {
    this.database = database;
    this.config = config;
    this.assignments = assignments;
  }

  @Override
  public void registerWorker(
      RegisterWorkerRequest request, StreamObserver<RegisterWorkerResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          if (!ADDRESS.matcher(request.getAddress()).matches()) {
            throw Problem.invalid(
                "address '" + request.getAddress() + "' must be host:port, as gateways dial it");
          }
          if (request.getSlots() < 0) {
            throw Problem.invalid("slots must be >= 0, got " + request.getSlots());
          }
          String id =
              request.getWorkerId().isBlank()
                  ? UUID.randomUUID().toString()
                  : request.getWorkerId();
          database.transaction(connection -> WorkerRepository.upsert(connection, id, request));
          return RegisterWorkerResponse.newBuilder()
              .setWorkerId(id)
              .setHeartbeatIntervalMs(config.heartbeatIntervalMs())
              .build();
        });
  }

  @Override
  public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          boolean known =
              database.transaction(connection -> WorkerRepository.heartbeat(connection, request));
          return HeartbeatResponse.newBuilder().setKnown(known).build();
        });
  }

  @Override
  public void watchAssignments(
      WatchAssignmentsRequest request, StreamObserver<AssignmentSet> responseObserver) {
    boolean known =
        database.transaction(
            connection -> WorkerRepository.exists(connection, request.getWorkerId()));
    if (!known) {
      responseObserver.onError(
          io.grpc.Status.NOT_FOUND
              .withDescription("worker '" + request.getWorkerId() + "' is not registered")
              .asRuntimeException());
      return;
    }
    assignments.watch(
        request.getWorkerId(), (ServerCallStreamObserver<AssignmentSet>) responseObserver);
  }
}
