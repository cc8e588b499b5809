package dev.maas.controlplane.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Workers and placements as one reconcile pass sees them, read after marking workers that missed
 * their heartbeats unhealthy.
 */
final class PlacementState {

  private final List<Worker> workers;
  private final List<Placement> placements;

  private PlacementState(List<Worker> workers, List<Placement> placements) {
    this.workers = workers;
    this.placements = placements;
  }

  /**
   * Reads workers and placements.
   *
   * @param judgeHealth whether to mark workers silent for {@code heartbeatTimeoutMs} unhealthy
   *     first
   */
  static PlacementState read(Connection connection, long heartbeatTimeoutMs, boolean judgeHealth)
      throws SQLException {
    if (judgeHealth) {
      markSilentWorkers(connection, heartbeatTimeoutMs);
    }
    return readAll(connection);
  }

  private static void markSilentWorkers(Connection connection, long heartbeatTimeoutMs)
      throws SQLException {
    try (PreparedStatement mark =
        connection.prepareStatement(
            "update workers set healthy = false where healthy"
                + " and last_heartbeat_at < now() - (? * interval '1 millisecond')")) {
      mark.setLong(1, heartbeatTimeoutMs);
      mark.executeUpdate();
    }
  }

  private static PlacementState readAll(Connection connection) throws SQLException {
    Map<String, Integer> used = new HashMap<>();
    List<Placement> placements = new ArrayList<>();
    try (PreparedStatement select =
            connection.prepareStatement(
                "select p.id, p.model_id, p.version, p.worker_id, p.state, w.healthy"
                    + " from placements p join workers w on w.id = p.worker_id");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        Placement placement =
            new Placement(
                rows.getString(1),
                rows.getLong(2),
                rows.getLong(3),
                rows.getString(4),
                rows.getString(5),
                rows.getBoolean(6));
        placements.add(placement);
        used.merge(placement.workerId(), 1, Integer::sum);
      }
    }
    List<Worker> workers = new ArrayList<>();
    try (PreparedStatement select =
            connection.prepareStatement(
                "select id, device, slots from workers where healthy order by id");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        String id = rows.getString(1);
        workers.add(new Worker(id, rows.getString(2), rows.getInt(3), used.getOrDefault(id, 0)));
      }
    }
    return new PlacementState(workers, placements);
  }

  /** Healthy workers. */
  List<Worker> workers() {
    return workers;
  }

  /** Every placement. */
  List<Placement> placements() {
    return placements;
  }

  /** The placements of one model version. */
  List<Placement> of(long modelId, long version) {
    return placements.stream()
        .filter(p -> p.modelId() == modelId && p.version() == version)
        .toList();
  }

  /** A placement and whether its worker is healthy. */
  record Placement(
      String id, long modelId, long version, String workerId, String state, boolean healthyWorker) {
    boolean serving() {
      return "SERVING".equals(state);
    }

    boolean failed() {
      return "FAILED".equals(state);
    }
  }

  /** A healthy worker and its slots; {@link #take} counts a placement made in this pass. */
  static final class Worker {
    private final String id;
    private final String device;
    private final int slots;
    private int used;

    Worker(String id, String device, int slots, int used) {
      this.id = id;
      this.device = device;
      this.slots = slots;
      this.used = used;
    }

    String id() {
      return id;
    }

    String device() {
      return device;
    }

    int used() {
      return used;
    }

    int free() {
      return slots - used;
    }

    void take() {
      used++;
    }
  }
}
