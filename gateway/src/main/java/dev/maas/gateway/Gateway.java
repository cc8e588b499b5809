package dev.maas.gateway;

import dev.maas.gateway.auth.ApiKeyAuthInterceptor;
import dev.maas.gateway.auth.ApiKeyVerifier;
import dev.maas.gateway.forwarding.Forwarder;
import dev.maas.gateway.grpc.ForwardedCalls;
import dev.maas.gateway.grpc.GatewayStatusMapping;
import dev.maas.gateway.grpc.HealthReporter;
import dev.maas.gateway.grpc.InferenceFront;
import dev.maas.gateway.grpc.LocalAnswers;
import dev.maas.gateway.metering.CallRecorder;
import dev.maas.gateway.metering.GatewayMetrics;
import dev.maas.gateway.metering.UsageJournal;
import dev.maas.gateway.metering.UsageMeter;
import dev.maas.gateway.metering.UsageReporter;
import dev.maas.gateway.quota.QuotaEnforcer;
import dev.maas.gateway.quota.ReplicaShare;
import dev.maas.gateway.routing.ModelResolver;
import dev.maas.gateway.routing.ReplicaPicker;
import dev.maas.gateway.routing.ReplicaPool;
import dev.maas.gateway.routing.VersionSelector;
import dev.maas.gateway.snapshot.RoutingTable;
import dev.maas.gateway.snapshot.SnapshotHolder;
import dev.maas.gateway.snapshot.SnapshotWatcher;
import dev.maas.launch.MetricsHttpServer;
import io.github.bucket4j.TimeMeter;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: the routing snapshot watch, quotas, worker channels, usage reporting, the gRPC
 * server and the metrics endpoint, wired by hand. {@link #close()} shuts it down gracefully.
 */
public final class Gateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Gateway.class);
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private static final int CONTROL_PLANE_MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

  private final GatewayOptions options;
  private final SnapshotHolder snapshots = new SnapshotHolder();
  private final HealthReporter health = new HealthReporter();
  private final GatewayMetrics metrics;
  private final ScheduledExecutorService retries = daemonScheduler("gateway-retry");
  private final ScheduledExecutorService reconnects = daemonScheduler("gateway-snapshot");
  private final ScheduledExecutorService reports = daemonScheduler("gateway-usage");
  private final ReplicaPool replicas;
  private final ManagedChannel controlPlane;
  private final SnapshotWatcher watcher;
  private final UsageJournal journal;
  private final UsageReporter reporter;
  private final Server server;
  private final MetricsHttpServer metricsServer;
  private volatile boolean stopping;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Gateway(GatewayOptions options, Path usageJournal) throws IOException {
    this.options = options;
    Clock clock = Clock.systemUTC();
    this.metrics =
        new GatewayMetrics(
            options.maxTenantLabels(),
            () -> snapshots.current().map(RoutingTable::version).orElse(-1L));
    QuotaEnforcer quotas =
        new QuotaEnforcer(
            new ReplicaShare(options.replicasHint()), TimeMeter.SYSTEM_NANOTIME, clock);
    this.replicas =
        new ReplicaPool(
            address ->
                NettyChannelBuilder.forTarget(address)
                    .usePlaintext()
                    .maxInboundMessageSize(options.maxMessageBytes())
                    // Answers from workers are handled on the channel's Netty event loop, not on
                    // a thread of gRPC's default cached pool: relaying an answer to the caller and
                    // recording the call never block (metrics and usage live in memory, the
                    // access log is queued; retries go to their own scheduler), so the hop bought
                    // nothing. Measured with maas-bench (lenet, concurrency 32): gateway CPU per
                    // request with batching fell from about 165 to 120 µs; a fixed pool sized to
                    // the cores measured no better than the cached one (docs/benchmarks.md).
                    .directExecutor()
                    .build(),
            options.ejection());
    snapshots.addListener(
        table -> {
          replicas.retain(table.workerAddresses());
          quotas.onSnapshot(table);
          health.serving();
        });
    this.controlPlane = controlPlaneChannel(options);
    this.watcher =
        new SnapshotWatcher(
            controlPlane, options.gatewayId(), snapshots, reconnects, options.reconnect());
    this.journal = usageJournal == null ? null : UsageJournal.open(usageJournal);
    UsageMeter meter = journal == null ? new UsageMeter(clock) : new UsageMeter(clock, journal);
    this.reporter =
        new UsageReporter(meter, journal, controlPlane, options.gatewayId(), Duration.ofSeconds(5));
    VersionSelector selector = new VersionSelector();
    Forwarder forwarder =
        new Forwarder(
            new ReplicaPicker(replicas, System::nanoTime),
            options.retry(),
            retries,
            options.clusterToken(),
            metrics,
            System::nanoTime);
    ForwardedCalls forwarded =
        new ForwardedCalls(
            snapshots,
            new ModelResolver(selector),
            quotas,
            forwarder,
            new CallRecorder(metrics, meter),
            metrics);
    LocalAnswers local = new LocalAnswers(snapshots, selector, () -> stopping);
    ApiKeyAuthInterceptor auth =
        new ApiKeyAuthInterceptor(
            new ApiKeyVerifier(clock),
            snapshots,
            GatewayStatusMapping::toException,
            InferenceFront.OPEN_METHODS);
    this.server =
        options
            .connections()
            .applyTo(NettyServerBuilder.forAddress(new InetSocketAddress(options.port())))
            .maxInboundMessageSize(options.maxMessageBytes())
            .addService(InferenceFront.definition(forwarded, local, auth))
            .addService(health.service())
            .addService(ProtoReflectionServiceV1.newInstance())
            .build()
            .start();
    this.metricsServer =
        options.metricsPort() < 0
            ? null
            : MetricsHttpServer.start(options.metricsPort(), metrics::scrape);
  }

  /**
   * Starts serving. Until the first routing snapshot arrives, health is NOT_SERVING and calls
   * answer UNAVAILABLE.
   */
  public static Gateway start(GatewayOptions options) throws IOException {
    return start(options, null);
  }

  /**
   * Starts serving as {@link #start(GatewayOptions)} does, keeping metered usage in a {@link
   * UsageJournal} in {@code usageJournal} until the control plane acknowledges it, so a gateway
   * killed without warning loses none; null keeps usage in memory only.
   */
  public static Gateway start(GatewayOptions options, Path usageJournal) throws IOException {
    Gateway gateway = new Gateway(options, usageJournal);
    gateway.watcher.start();
    gateway.reporter.start(gateway.reports, options.usageReportInterval());
    log.info(
        "gateway serving gRPC on port {}, routing from control plane {}",
        gateway.port(),
        options.controlPlane());
    return gateway;
  }

  /** The gRPC port. */
  public int port() {
    return server.getPort();
  }

  /** The metrics port, or -1 when metrics are off. */
  public int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.port();
  }

  /** Whether a routing snapshot has arrived. */
  public boolean hasSnapshot() {
    return snapshots.hasSnapshot();
  }

  /** The version of the routing snapshot in use, or -1 before the first. */
  public long snapshotVersion() {
    return snapshots.current().map(RoutingTable::version).orElse(-1L);
  }

  /** The metrics, for tests. */
  public GatewayMetrics metrics() {
    return metrics;
  }

  /**
   * Stops taking calls, lets in-flight calls finish within the grace period, reports the last
   * usage, then closes every channel.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stopping = true;
    health.shutdown();
    server.shutdown();
    try {
      if (!server.awaitTermination(options.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("in-flight calls did not finish within {}; cancelling", options.shutdownGrace());
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
    watcher.close();
    reporter.close();
    if (journal != null) {
      try {
        journal.close();
      } catch (IOException e) {
        log.warn("usage journal not closed cleanly", e);
      }
    }
    controlPlane.shutdownNow();
    replicas.close();
    retries.shutdownNow();
    reconnects.shutdownNow();
    reports.shutdownNow();
    if (metricsServer != null) {
      metricsServer.close();
    }
    metrics.close();
  }

  private static ManagedChannel controlPlaneChannel(GatewayOptions options) {
    Metadata token = new Metadata();
    token.put(AUTHORIZATION, "Bearer " + options.clusterToken());
    return NettyChannelBuilder.forTarget(options.controlPlane())
        .usePlaintext()
        // Snapshots carry every key, tenant and model of the cluster.
        .maxInboundMessageSize(CONTROL_PLANE_MAX_MESSAGE_BYTES)
        .intercept(MetadataUtils.newAttachHeadersInterceptor(token))
        .build();
  }

  private static ScheduledExecutorService daemonScheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        task -> {
          Thread thread = new Thread(task, name);
          thread.setDaemon(true);
          return thread;
        });
  }
}
