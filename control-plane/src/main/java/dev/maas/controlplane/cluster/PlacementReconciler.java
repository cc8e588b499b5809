package dev.maas.controlplane.cluster;

import dev.maas.controlplane.db.Database;
import dev.maas.controlplane.grpc.Quiescent;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every deployment's wanted versions placed on healthy workers of its device, on the leader
 * replica only: marks silent workers unhealthy, adds replicas where too few are alive, spreading
 * them over the least-loaded workers, and removes placements that are no longer wanted or sit on
 * dead workers — but only once enough replicas elsewhere serve, so the last serving replica is
 * never removed before its replacement serves.
 */
@Context
public final class PlacementReconciler implements Quiescent {

  private static final Logger log = LoggerFactory.getLogger(PlacementReconciler.class);

  private final Database database;
  private final ClusterConfig config;
  private final LeaderLock leader;
  private long leaderSinceNanos = Long.MAX_VALUE;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "placement-reconciler");
            thread.setDaemon(true);
            return thread;
          });

  public PlacementReconciler(Database database, ClusterConfig config, ChangeFeed changes) {
    this.database = database;
    this.config = config;
    this.leader = new LeaderLock(database);
    executor.scheduleWithFixedDelay(
        this::reconcileSafely, 0, config.reconcileIntervalMs(), TimeUnit.MILLISECONDS);
    changes.subscribe(
        () -> {
          if (!executor.isShutdown()) {
            executor.execute(this::reconcileSafely);
          }
        });
  }

  private void reconcileSafely() {
    try {
      if (!leader.holds()) {
        leaderSinceNanos = Long.MAX_VALUE;
        return;
      }
      if (leaderSinceNanos == Long.MAX_VALUE) {
        leaderSinceNanos = System.nanoTime();
      }
      database.transaction(this::reconcile);
    } catch (RuntimeException e) {
      log.error("placement pass failed", e);
    }
  }

  private Void reconcile(Connection connection) throws SQLException {
    // A new leader (after a restart, say) has not yet heard the workers' heartbeats: it judges no
    // worker dead before a heartbeat timeout has passed since it took over.
    boolean judgeHealth =
        System.nanoTime() - leaderSinceNanos
            >= TimeUnit.MILLISECONDS.toNanos(config.heartbeatTimeoutMs());
    PlacementState state =
        PlacementState.read(connection, config.heartbeatTimeoutMs(), judgeHealth);
    List<DeployedModel> deployments = ClusterRepository.deployments(connection);
    for (DeployedModel deployment : deployments) {
      for (long version : deployment.wantedVersions()) {
        placeVersion(connection, state, deployment, version);
      }
    }
    removeUnwanted(connection, state, deployments);
    return null;
  }

  private void placeVersion(
      Connection connection, PlacementState state, DeployedModel deployment, long version)
      throws SQLException {
    List<PlacementState.Placement> placements = state.of(deployment.modelId(), version);
    List<PlacementState.Placement> alive =
        placements.stream().filter(p -> p.healthyWorker() && !p.failed()).toList();
    Set<String> holding =
        placements.stream().map(PlacementState.Placement::workerId).collect(Collectors.toSet());
    int missing = deployment.minReplicas() - alive.size();
    List<PlacementState.Worker> candidates =
        state.workers().stream()
            .filter(w -> w.device().equals(deployment.device()) && w.free() > 0)
            .filter(w -> !holding.contains(w.id()))
            .sorted(
                Comparator.comparingInt(PlacementState.Worker::used)
                    .thenComparing(PlacementState.Worker::id))
            .toList();
    for (int i = 0; i < missing && i < candidates.size(); i++) {
      PlacementState.Worker worker = candidates.get(i);
      insert(connection, deployment.modelId(), version, worker.id());
      worker.take();
      log.info(
          "placed model {} version {} on worker {}", deployment.modelId(), version, worker.id());
    }
    long serving = alive.stream().filter(PlacementState.Placement::serving).count();
    if (serving >= deployment.minReplicas()) {
      List<String> doomed = new ArrayList<>();
      for (PlacementState.Placement placement : placements) {
        if (!placement.healthyWorker() || placement.failed()) {
          doomed.add(placement.id());
        }
      }
      alive.stream()
          .filter(p -> !p.serving())
          .limit(Math.max(0, alive.size() - deployment.minReplicas()))
          .forEach(p -> doomed.add(p.id()));
      delete(connection, doomed);
    }
  }

  /** Placements of versions no deployment wants, once the model's wanted versions all serve. */
  private static void removeUnwanted(
      Connection connection, PlacementState state, List<DeployedModel> deployments)
      throws SQLException {
    Map<Long, DeployedModel> byModel =
        deployments.stream().collect(Collectors.toMap(DeployedModel::modelId, d -> d));
    List<String> doomed = new ArrayList<>();
    for (PlacementState.Placement placement : state.placements()) {
      DeployedModel deployment = byModel.get(placement.modelId());
      if (deployment == null) {
        doomed.add(placement.id());
      } else if (!deployment.wantedVersions().contains(placement.version())
          && deployment.wantedVersions().stream()
              .allMatch(
                  v ->
                      state.of(placement.modelId(), v).stream()
                          .anyMatch(p -> p.serving() && p.healthyWorker()))) {
        doomed.add(placement.id());
      }
    }
    delete(connection, doomed);
  }

  private static void insert(Connection connection, long modelId, long version, String workerId)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into placements (id, model_id, version, worker_id, state)"
                + " values (?, ?, ?, ?, 'LOADING')")) {
      insert.setString(1, UUID.randomUUID().toString());
      insert.setLong(2, modelId);
      insert.setLong(3, version);
      insert.setString(4, workerId);
      insert.executeUpdate();
    }
  }

  private static void delete(Connection connection, List<String> ids) throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    try (PreparedStatement delete =
        connection.prepareStatement("delete from placements where id = ?")) {
      for (String id : ids) {
        delete.setString(1, id);
        delete.addBatch();
      }
      delete.executeBatch();
    }
    log.info("removed placements {}", ids);
  }

  @Override
  public void quiesce() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Runs on this thread now that the executor is done: the lock is not shared with a pass.
    leader.close();
  }

  @PreDestroy
  void stop() {
    quiesce();
  }
}
