package dev.maas.controlplane.cluster;

import dev.maas.controlplane.grpc.ClusterApi;
import dev.maas.controlplane.grpc.Quiescent;
import dev.maas.proto.cluster.v1.RoutingServiceGrpc;
import dev.maas.proto.cluster.v1.RoutingSnapshot;
import dev.maas.proto.cluster.v1.WatchRoutingRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams routing snapshots to gateways: the current one on connect, then a fresh one after every
 * change the {@link ChangeFeed} reports, on this replica or another.
 */
@Singleton
final class RoutingGrpcService extends RoutingServiceGrpc.RoutingServiceImplBase
    implements ClusterApi, Quiescent {

  private static final Logger log = LoggerFactory.getLogger(RoutingGrpcService.class);

  private final RoutingSnapshots snapshots;
  private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
  private volatile RoutingSnapshot latest;

  RoutingGrpcService(RoutingSnapshots snapshots, ChangeFeed changes) {
    this.snapshots = snapshots;
    changes.subscribe(this::publish);
  }

  @Override
  public void watchRouting(
      WatchRoutingRequest request, StreamObserver<RoutingSnapshot> responseObserver) {
    ServerCallStreamObserver<RoutingSnapshot> observer =
        (ServerCallStreamObserver<RoutingSnapshot>) responseObserver;
    Watcher watcher = new Watcher(request.getGatewayId(), observer);
    observer.setOnCancelHandler(() -> watchers.remove(watcher));
    try {
      RoutingSnapshot current = latest != null ? latest : snapshots.build();
      watchers.add(watcher);
      watcher.send(current);
    } catch (RuntimeException e) {
      log.error("building a routing snapshot failed", e);
      observer.onError(
          Status.UNAVAILABLE.withDescription("routing snapshot unavailable").asException());
    }
  }

  /** Ends every watch: gateways keep their last snapshot and reconnect, to another replica. */
  @Override
  public void quiesce() {
    for (Watcher watcher : watchers) {
      watcher.end();
    }
    watchers.clear();
  }

  /** Builds a fresh snapshot and sends it to every watcher. */
  private void publish() {
    if (watchers.isEmpty()) {
      latest = null;
      return;
    }
    RoutingSnapshot snapshot = snapshots.build();
    RoutingSnapshot previous = latest;
    latest = snapshot;
    if (previous != null && sameContent(previous, snapshot)) {
      // The periodic resync found nothing new: gateways keep what they have.
      return;
    }
    for (Watcher watcher : watchers) {
      watcher.send(snapshot);
    }
  }

  private static boolean sameContent(RoutingSnapshot a, RoutingSnapshot b) {
    return a.toBuilder()
        .clearVersion()
        .clearBuildTime()
        .build()
        .equals(b.toBuilder().clearVersion().clearBuildTime().build());
  }

  /** One gateway's stream; sends are serialized because gRPC observers are not thread-safe. */
  private record Watcher(String gatewayId, ServerCallStreamObserver<RoutingSnapshot> observer) {
    synchronized void send(RoutingSnapshot snapshot) {
      if (!observer.isCancelled()) {
        observer.onNext(snapshot);
      }
    }

    synchronized void end() {
      if (!observer.isCancelled()) {
        observer.onCompleted();
      }
    }
  }
}
