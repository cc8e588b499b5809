package dev.maas.controlplane.cluster;

import dev.maas.controlplane.db.Database;
import dev.maas.controlplane.grpc.Quiescent;
import dev.maas.proto.cluster.v1.Assignment;
import dev.maas.proto.cluster.v1.AssignmentSet;
import io.grpc.stub.ServerCallStreamObserver;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams each watching worker its full assignment set: on connect, and again whenever a change
 * alters it.
 */
@Singleton
final class AssignmentPublisher implements Quiescent {

  private static final Logger log = LoggerFactory.getLogger(AssignmentPublisher.class);

  private final Database database;
  private final Map<String, Watch> watches = new ConcurrentHashMap<>();

  AssignmentPublisher(Database database, ChangeFeed changes) {
    this.database = database;
    changes.subscribe(this::publishAll);
  }

  /** Starts streaming to a worker; a newer watch of the same worker replaces an older one. */
  void watch(String workerId, ServerCallStreamObserver<AssignmentSet> observer) {
    Watch watch = new Watch(observer);
    observer.setOnCancelHandler(() -> watches.remove(workerId, watch));
    Watch previous = watches.put(workerId, watch);
    if (previous != null) {
      previous.end();
    }
    publish(workerId, watch);
  }

  /** Ends every watch: workers keep serving what they have and reconnect. */
  @Override
  public void quiesce() {
    watches.values().forEach(Watch::end);
    watches.clear();
  }

  private void publishAll() {
    watches.forEach(this::publish);
  }

  private void publish(String workerId, Watch watch) {
    try {
      List<Assignment> assignments = database.transaction(c -> assignmentsOf(c, workerId));
      long generation = database.transaction(ClusterRepository::nextGeneration);
      watch.send(assignments, generation);
    } catch (RuntimeException e) {
      log.error("publishing the assignments of worker {} failed", workerId, e);
    }
  }

  static List<Assignment> assignmentsOf(Connection connection, String workerId)
      throws SQLException {
    List<Assignment> assignments = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "select p.id, p.model_id, p.version, m.tenant, v.sha256, v.size_bytes,"
                + " coalesce(d.batching::text, '{}')"
                + " from placements p join models m on m.id = p.model_id"
                + " join model_versions v on v.model_id = p.model_id and v.version = p.version"
                + " left join deployments d on d.model_id = p.model_id"
                + " where p.worker_id = ? order by p.id")) {
      select.setString(1, workerId);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          assignments.add(
              Assignment.newBuilder()
                  .setPlacementId(rows.getString(1))
                  .setModelId(DeployedModel.modelIdOf(rows.getLong(2), rows.getLong(3)))
                  .setTenant(rows.getString(4))
                  .setArtifactSha256(rows.getString(5) == null ? "" : rows.getString(5))
                  .setArtifactSizeBytes(rows.getLong(6))
                  .setConfigJson(ClusterRepository.workerConfig(rows.getString(7)))
                  .build());
        }
      }
    }
    return assignments;
  }

  /** One worker's stream; remembers what it last sent so unchanged sets are not resent. */
  private static final class Watch {
    private final ServerCallStreamObserver<AssignmentSet> observer;
    private List<Assignment> lastSent;

    Watch(ServerCallStreamObserver<AssignmentSet> observer) {
      this.observer = observer;
    }

    synchronized void send(List<Assignment> assignments, long generation) {
      if (observer.isCancelled() || assignments.equals(lastSent)) {
        return;
      }
      lastSent = assignments;
      observer.onNext(
          AssignmentSet.newBuilder()
              .setGeneration(generation)
              .addAllAssignments(assignments)
              .build());
    }

    synchronized void end() {
      if (!observer.isCancelled()) {
        observer.onCompleted();
      }
    }
  }
}
