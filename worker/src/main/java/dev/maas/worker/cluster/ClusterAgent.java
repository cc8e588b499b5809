package dev.maas.worker.cluster;

import dev.maas.proto.cluster.v1.ArtifactServiceGrpc;
import dev.maas.proto.cluster.v1.Assignment;
import dev.maas.proto.cluster.v1.AssignmentSet;
import dev.maas.proto.cluster.v1.Device;
import dev.maas.proto.cluster.v1.HeartbeatRequest;
import dev.maas.proto.cluster.v1.HeartbeatResponse;
import dev.maas.proto.cluster.v1.RegisterWorkerRequest;
import dev.maas.proto.cluster.v1.RegisterWorkerResponse;
import dev.maas.proto.cluster.v1.WatchAssignmentsRequest;
import dev.maas.proto.cluster.v1.WorkerRegistryGrpc;
import dev.maas.worker.lifecycle.ModelRegistry;
import dev.maas.worker.runtime.SessionSettings;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's side of the cluster API: registers with the control plane, heartbeats the state of
 * its placements, and watches its assignments, which the {@link ClusterModelSource} puts in place.
 * When the control plane is away it keeps serving what is loaded and reconnects with jittered
 * backoff.
 *
 * <p>Threads: register, heartbeat and stream (re)connects run on one scheduler thread; fetching and
 * loading run on the {@link AssignmentApplier}'s, so a slow download never delays a heartbeat.
 */
public final class ClusterAgent implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ClusterAgent.class);

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
  private static final Duration BACKOFF_INITIAL = Duration.ofMillis(100);
  private static final Duration BACKOFF_MAX = Duration.ofSeconds(5);
  private static final int MAX_CHUNK_BYTES = 16 * 1024 * 1024;

  private final ClusterOptions options;
  private final RegisterWorkerRequest registration;
  private final ModelRegistry registry;
  private final ManagedChannel channel;
  private final WorkerRegistryGrpc.WorkerRegistryBlockingStub calls;
  private final WorkerRegistryGrpc.WorkerRegistryStub streams;
  private final ClusterModelSource source;
  private final AssignmentApplier applier;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(daemon("cluster-agent"));
  private final Backoff registerBackoff = new Backoff(BACKOFF_INITIAL, BACKOFF_MAX);
  private final Backoff watchBackoff = new Backoff(BACKOFF_INITIAL, BACKOFF_MAX);

  /** The assignments heartbeats report: the newest set received. */
  private volatile List<Assignment> assignments = List.of();

  private volatile String workerId;
  private volatile boolean closed;
  private volatile boolean streamConnected;

  // Scheduler thread only.
  private boolean registered;
  private boolean watching;
  private boolean reachable = true;
  private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;

  private ClusterAgent(
      ClusterOptions options,
      RegisterWorkerRequest registration,
      ModelRegistry registry,
      Path repository,
      Runnable reconcile)
      throws IOException {
    this.options = options;
    this.registration = registration;
    this.registry = registry;
    this.workerId = registration.getWorkerId();
    Metadata authorization = new Metadata();
    authorization.put(ClusterTokenInterceptor.AUTHORIZATION, options.token().bearerHeader());
    this.channel =
        NettyChannelBuilder.forTarget(options.controlPlane())
            .usePlaintext()
            .maxInboundMessageSize(MAX_CHUNK_BYTES)
            .intercept(MetadataUtils.newAttachHeadersInterceptor(authorization))
            .build();
    this.calls = WorkerRegistryGrpc.newBlockingStub(channel);
    this.streams = WorkerRegistryGrpc.newStub(channel);
    this.source =
        new ClusterModelSource(
            repository,
            new ArtifactDownloader(ArtifactServiceGrpc.newBlockingStub(channel)),
            reconcile);
    this.applier =
        new AssignmentApplier(
            source, this::heartbeatSoon, new Backoff(BACKOFF_INITIAL, BACKOFF_MAX));
  }

  /**
   * Joins the cluster in the background: the worker serves the models {@code repository} holds now
   * at once, and its assignments as they arrive.
   *
   * @param grpcPort the port the worker's gRPC listens on, for the default advertised address
   * @param repository the directory the worker's lifecycle serves; this agent owns its contents
   * @param reconcile loads and unloads models to match the directory, before it returns
   */
  public static ClusterAgent start(
      ClusterOptions options,
      int grpcPort,
      SessionSettings.Device device,
      ModelRegistry registry,
      Path repository,
      Runnable reconcile)
      throws IOException {
    RegisterWorkerRequest registration =
        RegisterWorkerRequest.newBuilder()
            .setWorkerId(options.workerId())
            .setAddress(options.advertiseAddressFor(grpcPort))
            .setDevice(device == SessionSettings.Device.GPU ? Device.DEVICE_GPU : Device.DEVICE_CPU)
            .setSlots(options.slots())
            .build();
    ClusterAgent agent = new ClusterAgent(options, registration, registry, repository, reconcile);
    agent.scheduler.execute(agent::tick);
    return agent;
  }

  /** Registers until that works, then heartbeats; one chain of ticks, on the scheduler. */
  private void tick() {
    Duration next = heartbeatInterval;
    try {
      if (!registered) {
        next = register() ? heartbeatInterval : registerBackoff.next();
      } else {
        heartbeat();
        next = registered ? heartbeatInterval : Duration.ZERO;
      }
    } finally {
      schedule(this::tick, next);
    }
  }

  private boolean register() {
    RegisterWorkerResponse response;
    try {
      response = withDeadline(calls).registerWorker(registration);
    } catch (StatusRuntimeException e) {
      unreachable("cannot register with", e);
      return false;
    }
    reachable();
    registered = true;
    registerBackoff.reset();
    if (!response.getWorkerId().isEmpty()) {
      workerId = response.getWorkerId();
    }
    heartbeatInterval =
        response.getHeartbeatIntervalMs() > 0
            ? Duration.ofMillis(response.getHeartbeatIntervalMs())
            : DEFAULT_HEARTBEAT_INTERVAL;
    log.info(
        "registered with the control plane at {} as worker {} ({}), heartbeat every {} ms",
        options.controlPlane(),
        workerId,
        registration.getAddress(),
        heartbeatInterval.toMillis());
    if (!watching) {
      watching = true;
      watch();
    }
    return true;
  }

  private void heartbeat() {
    HeartbeatRequest request =
        HeartbeatRequest.newBuilder()
            .setWorkerId(workerId)
            .addAllPlacements(PlacementStates.of(assignments, registry, source::failure))
            .build();
    HeartbeatResponse response;
    try {
      response = withDeadline(calls).heartbeat(request);
    } catch (StatusRuntimeException e) {
      unreachable("cannot heartbeat to", e);
      return;
    }
    reachable();
    if (!response.getKnown()) {
      log.info("the control plane does not know worker {}; registering again", workerId);
      registered = false;
    }
  }

  /** Reports placement states now rather than at the next tick, as after a set is applied. */
  private void heartbeatSoon() {
    execute(
        () -> {
          if (registered) {
            heartbeat();
          }
        });
  }

  private void watch() {
    if (closed) {
      return;
    }
    WatchAssignmentsRequest request =
        WatchAssignmentsRequest.newBuilder().setWorkerId(workerId).build();
    streams.watchAssignments(
        request,
        new StreamObserver<>() {
          @Override
          public void onNext(AssignmentSet set) {
            if (!streamConnected) {
              streamConnected = true;
              log.info("watching assignments from the control plane");
            }
            watchBackoff.reset();
            assignments = set.getAssignmentsList();
            applier.offer(set);
          }

          @Override
          public void onError(Throwable t) {
            reconnect(Status.fromThrowable(t).toString());
          }

          @Override
          public void onCompleted() {
            reconnect("ended by the control plane");
          }
        });
  }

  private void reconnect(String why) {
    boolean wasConnected = streamConnected;
    streamConnected = false;
    if (closed) {
      return;
    }
    Duration delay = watchBackoff.next();
    if (wasConnected) {
      log.warn(
          "assignment stream: {}; serving what is loaded, reconnecting in {} ms",
          why,
          delay.toMillis());
    } else {
      log.debug("assignment stream: {}; reconnecting in {} ms", why, delay.toMillis());
    }
    schedule(
        () -> {
          // Without this the channel's own connect backoff holds the retry back for seconds
          // after the control plane is back.
          channel.resetConnectBackoff();
          watch();
        },
        delay);
  }

  private void reachable() {
    if (!reachable) {
      reachable = true;
      log.info("the control plane at {} answers again", options.controlPlane());
    }
  }

  private void unreachable(String what, StatusRuntimeException e) {
    if (closed) {
      return;
    }
    if (reachable) {
      reachable = false;
      log.warn(
          "{} the control plane at {}: {}; serving what is loaded and retrying",
          what,
          options.controlPlane(),
          e.getStatus());
    } else {
      log.debug("{} the control plane: {}", what, e.getStatus());
    }
  }

  private static WorkerRegistryGrpc.WorkerRegistryBlockingStub withDeadline(
      WorkerRegistryGrpc.WorkerRegistryBlockingStub stub) {
    return stub.withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void schedule(Runnable task, Duration delay) {
    if (closed) {
      return;
    }
    try {
      scheduler.schedule(guarded(task), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopped) {
      // closing
    }
  }

  private void execute(Runnable task) {
    schedule(task, Duration.ZERO);
  }

  /** A task that logs what it throws, so one failure does not end a scheduled chain silently. */
  private Runnable guarded(Runnable task) {
    return () -> {
      if (closed) {
        return;
      }
      try {
        task.run();
      } catch (RuntimeException e) {
        log.error("cluster agent task failed", e);
      }
    };
  }

  /** Stops the loops and the stream; the models loaded stay with the lifecycle. */
  @Override
  public void close() {
    closed = true;
    scheduler.shutdownNow();
    channel.shutdownNow();
    applier.close();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
