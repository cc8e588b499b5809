package dev.maas.gateway.testing;

import dev.maas.proto.cluster.v1.ReportUsageRequest;
import dev.maas.proto.cluster.v1.ReportUsageResponse;
import dev.maas.proto.cluster.v1.RoutingServiceGrpc;
import dev.maas.proto.cluster.v1.RoutingSnapshot;
import dev.maas.proto.cluster.v1.UsageReportServiceGrpc;
import dev.maas.proto.cluster.v1.WatchRoutingRequest;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the control plane's cluster API in the test JVM: serves the routing snapshots a
 * test publishes and records usage reports (deduplicated by batch id, as the real one does). It
 * checks the cluster token and can fail reports on demand.
 */
public final class TestControlPlane implements AutoCloseable {

  private final Server server;
  private final Set<ServerCallStreamObserver<RoutingSnapshot>> watchers =
      ConcurrentHashMap.newKeySet();
  private final List<String> attemptedBatchIds = new ArrayList<>();
  private final Map<String, ReportUsageRequest> recorded = new LinkedHashMap<>();
  private final AtomicInteger reportsToFail = new AtomicInteger();
  private final AtomicInteger watchCalls = new AtomicInteger();
  private volatile RoutingSnapshot current;

  private TestControlPlane() throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(ServerInterceptors.intercept(new Routing(), new TokenCheck()))
            .addService(ServerInterceptors.intercept(new Usage(), new TokenCheck()))
            .build()
            .start();
  }

  /** Starts one on an ephemeral loopback port. */
  public static TestControlPlane start() throws IOException {
    return new TestControlPlane();
  }

  /** host:port to reach it at. */
  public String target() {
    return "127.0.0.1:" + server.getPort();
  }

  /** Makes {@code snapshot} current and sends it to every watching gateway. */
  public void publish(RoutingSnapshot snapshot) {
    current = snapshot;
    for (ServerCallStreamObserver<RoutingSnapshot> watcher : watchers) {
      synchronized (watcher) {
        if (!watcher.isCancelled()) {
          watcher.onNext(snapshot);
        }
      }
    }
  }

  /** Ends every watch stream with UNAVAILABLE, as a control plane replica going away would. */
  public void dropWatchers() {
    for (ServerCallStreamObserver<RoutingSnapshot> watcher : watchers) {
      synchronized (watcher) {
        watcher.onError(Status.UNAVAILABLE.withDescription("going away").asRuntimeException());
      }
    }
    watchers.clear();
  }

  /** How many WatchRouting calls have been made. */
  public int watchCalls() {
    return watchCalls.get();
  }

  /** Makes the next {@code count} usage reports fail with UNAVAILABLE. */
  public void failNextReports(int count) {
    reportsToFail.set(count);
  }

  /** The batch id of every report received, failed ones included, in order. */
  public synchronized List<String> attemptedBatchIds() {
    return List.copyOf(attemptedBatchIds);
  }

  /** The batches recorded, each once. */
  public synchronized List<ReportUsageRequest> recordedBatches() {
    return List.copyOf(recorded.values());
  }

  /** The requests counted in the recorded batches. */
  public synchronized long recordedRequests() {
    return recorded.values().stream()
        .flatMap(batch -> batch.getEntriesList().stream())
        .mapToLong(entry -> entry.getRequests())
        .sum();
  }

  /** Stops at once, as a crashed control plane would. */
  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private synchronized boolean record(ReportUsageRequest batch) {
    attemptedBatchIds.add(batch.getBatchId());
    if (reportsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return false;
    }
    recorded.putIfAbsent(batch.getBatchId(), batch);
    return true;
  }

  private final class Routing extends RoutingServiceGrpc.RoutingServiceImplBase {
    @Override
    public void watchRouting(
        WatchRoutingRequest request, StreamObserver<RoutingSnapshot> responseObserver) {
      watchCalls.incrementAndGet();
      ServerCallStreamObserver<RoutingSnapshot> observer =
          (ServerCallStreamObserver<RoutingSnapshot>) responseObserver;
      observer.setOnCancelHandler(() -> watchers.remove(observer));
      synchronized (observer) {
        watchers.add(observer);
        RoutingSnapshot snapshot = current;
        if (snapshot != null) {
          observer.onNext(snapshot);
        }
      }
    }
  }

  private final class Usage extends UsageReportServiceGrpc.UsageReportServiceImplBase {
    @Override
    public void reportUsage(
        ReportUsageRequest request, StreamObserver<ReportUsageResponse> responseObserver) {
      if (!record(request)) {
        responseObserver.onError(
            Status.UNAVAILABLE.withDescription("failing on purpose").asRuntimeException());
        return;
      }
      responseObserver.onNext(ReportUsageResponse.newBuilder().setRecorded(true).build());
      responseObserver.onCompleted();
    }
  }

  /** Admits only the cluster token, as the real cluster API does. */
  private static final class TokenCheck implements ServerInterceptor {
    private static final Metadata.Key<String> AUTHORIZATION =
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      if (!("Bearer " + TestCluster.TOKEN).equals(headers.get(AUTHORIZATION))) {
        call.close(Status.UNAUTHENTICATED.withDescription("cluster token needed"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(call, headers);
    }
  }
}
