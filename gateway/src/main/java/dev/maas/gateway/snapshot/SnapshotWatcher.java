package dev.maas.gateway.snapshot;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.maas.proto.cluster.v1.RoutingServiceGrpc;
import dev.maas.proto.cluster.v1.RoutingSnapshot;
import dev.maas.proto.cluster.v1.WatchRoutingRequest;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the control plane's routing snapshots and puts each into the {@link SnapshotHolder}. When
 * the stream ends or fails it reconnects with {@link ReconnectBackoff}; meanwhile the holder keeps
 * the last snapshot, so the gateway goes on serving (static stability).
 *
 * <p>Thread-safe: stream callbacks run on gRPC's executor, reconnects on {@code scheduler}.
 */
public final class SnapshotWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SnapshotWatcher.class);

  private final RoutingServiceGrpc.RoutingServiceStub stub;
  private final WatchRoutingRequest request;
  private final SnapshotHolder holder;
  private final ScheduledExecutorService scheduler;
  private final ReconnectBackoff backoff;
  private final Channel controlPlane;

  @GuardedBy("this")
  private ClientCallStreamObserver<WatchRoutingRequest> stream;

  @GuardedBy("this")
  private int failures;

  @GuardedBy("this")
  private boolean closed;

  /** A watcher over {@code controlPlane}, a channel that already carries the cluster token. */
  public SnapshotWatcher(
      Channel controlPlane,
      String gatewayId,
      SnapshotHolder holder,
      ScheduledExecutorService scheduler,
      ReconnectBackoff backoff) {
    this.controlPlane = controlPlane;
    this.stub = RoutingServiceGrpc.newStub(controlPlane);
    this.request = WatchRoutingRequest.newBuilder().setGatewayId(gatewayId).build();
    this.holder = holder;
    this.scheduler = scheduler;
    this.backoff = backoff;
  }

  /** Opens the stream; returns at once. */
  public void start() {
    connect();
  }

  private synchronized void connect() {
    if (closed) {
      return;
    }
    if (failures > 0 && controlPlane instanceof ManagedChannel channel) {
      // The channel's own reconnect backoff would otherwise hold this retry back for seconds
      // after the control plane is back.
      channel.resetConnectBackoff();
    }
    stub.watchRouting(request, new Watch());
  }

  private synchronized void reconnectLater(String why) {
    if (closed) {
      return;
    }
    long delay = backoff.delay(failures++).toMillis();
    log.warn("routing snapshot stream ended ({}); reconnecting in {} ms", why, delay);
    scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  private synchronized void connected(ClientCallStreamObserver<WatchRoutingRequest> opened) {
    if (closed) {
      opened.cancel("gateway closing", null);
    }
    stream = opened;
  }

  private synchronized void received() {
    failures = 0;
  }

  /** Stops watching; the last snapshot stays in the holder. */
  @Override
  public synchronized void close() {
    closed = true;
    if (stream != null) {
      stream.cancel("gateway closing", null);
    }
  }

  /** One stream; a new one is made for every reconnect. */
  private final class Watch
      implements ClientResponseObserver<WatchRoutingRequest, RoutingSnapshot> {

    @Override
    public void beforeStart(ClientCallStreamObserver<WatchRoutingRequest> requestStream) {
      connected(requestStream);
    }

    @Override
    public void onNext(RoutingSnapshot snapshot) {
      received();
      try {
        holder.update(SnapshotMapper.toTable(snapshot));
        log.debug("routing snapshot {} applied", snapshot.getVersion());
      } catch (RuntimeException e) {
        log.error("applying routing snapshot {} failed", snapshot.getVersion(), e);
      }
    }

    @Override
    public void onError(Throwable error) {
      Status status = Status.fromThrowable(error);
      reconnectLater(status.getCode() + ": " + status.getDescription());
    }

    @Override
    public void onCompleted() {
      reconnectLater("closed by the control plane");
    }
  }
}
