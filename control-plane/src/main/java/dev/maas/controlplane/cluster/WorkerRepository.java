package dev.maas.controlplane.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas.proto.cluster.v1.Device;
import dev.maas.proto.cluster.v1.HeartbeatRequest;
import dev.maas.proto.cluster.v1.PlacementState;
import dev.maas.proto.cluster.v1.PlacementStatus;
import dev.maas.proto.cluster.v1.RegisterWorkerRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** SQL for workers as they register and heartbeat. */
final class WorkerRepository {

  private static final ObjectMapper JSON = new ObjectMapper();

  private WorkerRepository() {}

  static Void upsert(Connection connection, String id, RegisterWorkerRequest request)
      throws SQLException {
    try (PreparedStatement upsert =
        connection.prepareStatement(
            "insert into workers (id, address, device, slots, memory_bytes, labels)"
                + " values (?, ?, ?, ?, ?, ?::jsonb)"
                + " on conflict (id) do update set address = excluded.address,"
                + " device = excluded.device, slots = excluded.slots,"
                + " memory_bytes = excluded.memory_bytes, labels = excluded.labels,"
                + " healthy = true, last_heartbeat_at = now()")) {
      upsert.setString(1, id);
      upsert.setString(2, request.getAddress());
      upsert.setString(3, request.getDevice() == Device.DEVICE_GPU ? "GPU" : "CPU");
      upsert.setInt(4, request.getSlots());
      upsert.setLong(5, request.getMemoryBytes());
      upsert.setString(6, labels(request));
      upsert.executeUpdate();
    }
    return null;
  }

  /** Records a heartbeat and its placement states; false when the worker is unknown. */
  static boolean heartbeat(Connection connection, HeartbeatRequest request) throws SQLException {
    try (PreparedStatement touch =
        connection.prepareStatement(
            "update workers set last_heartbeat_at = now(), healthy = true where id = ?")) {
      touch.setString(1, request.getWorkerId());
      if (touch.executeUpdate() == 0) {
        return false;
      }
    }
    try (PreparedStatement update =
        connection.prepareStatement(
            "update placements set state = ?, reason = ?, updated_at = now()"
                + " where id = ? and worker_id = ? and (state <> ? or reason <> ?)")) {
      for (PlacementStatus status : request.getPlacementsList()) {
        String state = stateName(status.getState());
        if (state == null) {
          continue;
        }
        update.setString(1, state);
        update.setString(2, status.getReason());
        update.setString(3, status.getPlacementId());
        update.setString(4, request.getWorkerId());
        update.setString(5, state);
        update.setString(6, status.getReason());
        update.addBatch();
      }
      update.executeBatch();
    }
    return true;
  }

  static boolean exists(Connection connection, String id) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("select 1 from workers where id = ?")) {
      select.setString(1, id);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next();
      }
    }
  }

  private static String stateName(PlacementState state) {
    return switch (state) {
      case PLACEMENT_STATE_LOADING -> "LOADING";
      case PLACEMENT_STATE_SERVING -> "SERVING";
      case PLACEMENT_STATE_FAILED -> "FAILED";
      default -> null;
    };
  }

  private static String labels(RegisterWorkerRequest request) {
    try {
      return JSON.writeValueAsString(request.getLabelsMap());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("labels are plain strings", e);
    }
  }
}
