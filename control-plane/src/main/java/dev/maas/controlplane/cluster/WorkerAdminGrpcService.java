package dev.maas.controlplane.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas.controlplane.auth.Access;
import dev.maas.controlplane.auth.Principal;
import dev.maas.controlplane.db.Database;
import dev.maas.controlplane.grpc.AdminApi;
import dev.maas.controlplane.grpc.Calls;
import dev.maas.controlplane.grpc.ProtoTime;
import dev.maas.proto.admin.v1.Device;
import dev.maas.proto.admin.v1.ListWorkersRequest;
import dev.maas.proto.admin.v1.ListWorkersResponse;
import dev.maas.proto.admin.v1.Worker;
import dev.maas.proto.admin.v1.WorkerServiceGrpc;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** The admin view of the cluster's workers: the platform admin only. */
@Singleton
final class WorkerAdminGrpcService extends WorkerServiceGrpc.WorkerServiceImplBase
    implements AdminApi {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database database;

  WorkerAdminGrpcService(Database database) {
    this.database = database;
  }

  @Override
  public void listWorkers(
      ListWorkersRequest request, StreamObserver<ListWorkersResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          Access.requireAdmin(Principal.current(), "list workers");
          return database.transaction(
              connection -> {
                ListWorkersResponse.Builder response = ListWorkersResponse.newBuilder();
                try (PreparedStatement select =
                        connection.prepareStatement(
                            "select w.id, w.address, w.device, w.slots, w.last_heartbeat_at,"
                                + " w.healthy, w.labels::text,"
                                + " (select count(*) from placements p where p.worker_id = w.id)"
                                + " from workers w order by w.id");
                    ResultSet rows = select.executeQuery()) {
                  while (rows.next()) {
                    Worker.Builder worker =
                        Worker.newBuilder()
                            .setId(rows.getString(1))
                            .setAddress(rows.getString(2))
                            .setDevice(
                                "GPU".equals(rows.getString(3))
                                    ? Device.DEVICE_GPU
                                    : Device.DEVICE_CPU)
                            .setSlots(rows.getInt(4))
                            .setLastHeartbeatTime(ProtoTime.of(rows.getTimestamp(5).toInstant()))
                            .setHealthy(rows.getBoolean(6))
                            .setUsedSlots(rows.getInt(8));
                    labels(rows.getString(7), worker);
                    response.addWorkers(worker);
                  }
                }
                return response.build();
              });
        });
  }

  private static void labels(String json, Worker.Builder worker) {
    try {
      JSON.readTree(json)
          .fields()
          .forEachRemaining(e -> worker.putLabels(e.getKey(), e.getValue().asText()));
    } catch (IOException e) {
      throw new IllegalStateException("stored worker labels are malformed", e);
    }
  }
}
