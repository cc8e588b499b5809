package dev.maas.worker.cluster;

import com.google.protobuf.ByteString;
import dev.maas.proto.cluster.v1.ArtifactChunk;
import dev.maas.proto.cluster.v1.ArtifactServiceGrpc;
import dev.maas.proto.cluster.v1.Assignment;
import dev.maas.proto.cluster.v1.AssignmentSet;
import dev.maas.proto.cluster.v1.DownloadArtifactRequest;
import dev.maas.proto.cluster.v1.HeartbeatRequest;
import dev.maas.proto.cluster.v1.HeartbeatResponse;
import dev.maas.proto.cluster.v1.PlacementStatus;
import dev.maas.proto.cluster.v1.RegisterWorkerRequest;
import dev.maas.proto.cluster.v1.RegisterWorkerResponse;
import dev.maas.proto.cluster.v1.WatchAssignmentsRequest;
import dev.maas.proto.cluster.v1.WorkerRegistryGrpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The control plane's side of the worker protocol with fixed data, for testing the worker's cluster
 * source: records registrations, heartbeats and the authorization they carried, serves artifacts
 * from memory, and pushes the assignment sets a test sets. Listens on an ephemeral loopback port.
 */
final class FakeControlPlane implements AutoCloseable {

  static final long HEARTBEAT_INTERVAL_MS = 100;
  private static final int CHUNK_BYTES = 64 * 1024;
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final List<RegisterWorkerRequest> registrations = new CopyOnWriteArrayList<>();
  private final List<HeartbeatRequest> heartbeats = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final Map<String, byte[]> artifacts = new ConcurrentHashMap<>();
  private final List<ServerCallStreamObserver<AssignmentSet>> watchers = new ArrayList<>();
  private final AtomicInteger watchCalls = new AtomicInteger();
  private final Server server;
  private AssignmentSet current = AssignmentSet.getDefaultInstance();
  private volatile boolean refusingWatches;
  private volatile boolean forgetting;

  private FakeControlPlane() throws IOException {
    ServerInterceptor recordAuthorization =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            authorizations.add(String.valueOf(headers.get(AUTHORIZATION)));
            return next.startCall(call, headers);
          }
        };
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(ServerInterceptors.intercept(new Registry(), recordAuthorization))
            .addService(ServerInterceptors.intercept(new Artifacts(), recordAuthorization))
            .build()
            .start();
  }

  static FakeControlPlane start() throws IOException {
    return new FakeControlPlane();
  }

  /** host:port to give the worker. */
  String address() {
    return "127.0.0.1:" + server.getPort();
  }

  /** Serves {@code bytes} as the artifact with this SHA-256, whether or not it matches. */
  void putArtifact(String sha256, byte[] bytes) {
    artifacts.put(sha256, bytes);
  }

  /** Makes these the worker's assignments and pushes them to every open stream. */
  synchronized void assign(Assignment... assignments) {
    current =
        AssignmentSet.newBuilder()
            .setGeneration(current.getGeneration() + 1)
            .addAllAssignments(List.of(assignments))
            .build();
    for (ServerCallStreamObserver<AssignmentSet> watcher : watchers) {
      watcher.onNext(current);
    }
  }

  /** Ends every open assignment stream with UNAVAILABLE, as a control plane going away does. */
  synchronized void dropStreams() {
    for (ServerCallStreamObserver<AssignmentSet> watcher : watchers) {
      watcher.onError(Status.UNAVAILABLE.withDescription("control plane restarting").asException());
    }
    watchers.clear();
  }

  /** While true, new assignment streams fail at once with UNAVAILABLE. */
  void refuseWatches(boolean refuse) {
    refusingWatches = refuse;
  }

  /** Answers the next heartbeat with known=false, as a control plane that lost its state does. */
  void forgetWorkerOnce() {
    forgetting = true;
  }

  int watchCalls() {
    return watchCalls.get();
  }

  synchronized int openStreams() {
    return watchers.size();
  }

  List<RegisterWorkerRequest> registrations() {
    return List.copyOf(registrations);
  }

  List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  /** The state of a placement in the latest heartbeat, if that heartbeat reported it. */
  Optional<PlacementStatus> reported(String placementId) {
    return latestHeartbeat()
        .flatMap(
            heartbeat ->
                heartbeat.getPlacementsList().stream()
                    .filter(p -> p.getPlacementId().equals(placementId))
                    .findFirst());
  }

  Optional<HeartbeatRequest> latestHeartbeat() {
    return heartbeats.isEmpty()
        ? Optional.empty()
        : Optional.of(heartbeats.get(heartbeats.size() - 1));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void watch(ServerCallStreamObserver<AssignmentSet> watcher) {
    watchers.add(watcher);
    watcher.setOnCancelHandler(() -> unwatch(watcher));
    watcher.onNext(current);
  }

  private synchronized void unwatch(ServerCallStreamObserver<AssignmentSet> watcher) {
    watchers.remove(watcher);
  }

  private final class Registry extends WorkerRegistryGrpc.WorkerRegistryImplBase {
    @Override
    public void registerWorker(
        RegisterWorkerRequest request, StreamObserver<RegisterWorkerResponse> observer) {
      registrations.add(request);
      observer.onNext(
          RegisterWorkerResponse.newBuilder()
              .setWorkerId(request.getWorkerId())
              .setHeartbeatIntervalMs(HEARTBEAT_INTERVAL_MS)
              .build());
      observer.onCompleted();
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> observer) {
      heartbeats.add(request);
      boolean known = !forgetting;
      forgetting = false;
      observer.onNext(HeartbeatResponse.newBuilder().setKnown(known).build());
      observer.onCompleted();
    }

    @Override
    public void watchAssignments(
        WatchAssignmentsRequest request, StreamObserver<AssignmentSet> observer) {
      watchCalls.incrementAndGet();
      if (refusingWatches) {
        observer.onError(Status.UNAVAILABLE.withDescription("not now").asException());
        return;
      }
      watch((ServerCallStreamObserver<AssignmentSet>) observer);
    }
  }

  private final class Artifacts extends ArtifactServiceGrpc.ArtifactServiceImplBase {
    @Override
    public void downloadArtifact(
        DownloadArtifactRequest request, StreamObserver<ArtifactChunk> observer) {
      byte[] bytes = artifacts.get(request.getSha256());
      if (bytes == null) {
        observer.onError(Status.NOT_FOUND.withDescription("no such artifact").asException());
        return;
      }
      for (int offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
        int length = Math.min(CHUNK_BYTES, bytes.length - offset);
        observer.onNext(
            ArtifactChunk.newBuilder().setData(ByteString.copyFrom(bytes, offset, length)).build());
      }
      observer.onCompleted();
    }
  }
}
