package dev.maas.worker;

import dev.maas.launch.MetricsHttpServer;
import dev.maas.worker.cluster.ClusterAgent;
import dev.maas.worker.cluster.ClusterOptions;
import dev.maas.worker.cluster.ClusterTokenInterceptor;
import dev.maas.worker.cluster.ModelIdInterceptor;
import dev.maas.worker.grpc.HealthReporter;
import dev.maas.worker.grpc.InferenceService;
import dev.maas.worker.lifecycle.LoadedModel;
import dev.maas.worker.lifecycle.ModelLifecycle;
import dev.maas.worker.lifecycle.ModelLoader;
import dev.maas.worker.lifecycle.ModelRegistry;
import dev.maas.worker.metrics.WorkerMetrics;
import dev.maas.worker.repository.ModelRepository;
import dev.maas.worker.runtime.SavedModelRuntime;
import dev.maas.worker.runtime.SessionSettings;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running worker: the model source (a model repository, or the control plane's assignments in
 * cluster mode), the loaded models, the gRPC server and the metrics endpoint, wired by hand. {@link
 * #close()} shuts it down gracefully.
 */
public final class Worker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  private final WorkerOptions options;
  private final WorkerMetrics metrics = new WorkerMetrics();
  private final ModelRegistry registry = new ModelRegistry();
  private final HealthReporter health = new HealthReporter(registry);
  private final ModelLifecycle lifecycle;
  private final Server server;
  private final MetricsHttpServer metricsServer;
  private volatile ClusterAgent clusterAgent;
  private volatile boolean stopping;

  private Worker(WorkerOptions options) throws IOException {
    this.options = options;
    if (options.cluster().isPresent()) {
      Files.createDirectories(options.modelRepository());
    }
    this.lifecycle =
        new ModelLifecycle(
            new ModelRepository(options.modelRepository()),
            registry,
            tensorflowLoader(options.session()),
            metrics,
            () -> health.update(isReady()));
    this.server =
        options
            .connections()
            .applyTo(NettyServerBuilder.forAddress(new InetSocketAddress(options.port())))
            .maxInboundMessageSize(options.maxMessageBytes())
            // Calls run on the Netty event loop that read them, not on a thread of gRPC's
            // default cached pool: every handler here returns at once (inference only decodes
            // and queues on the batcher; the rest reads memory), so the hop bought nothing.
            // Measured with maas-bench (lenet, concurrency 32): worker CPU per request fell from
            // about 180 to 115 µs with batching and 500 to 385 µs without; a fixed pool sized to
            // the cores measured no better than the cached one (docs/benchmarks.md).
            .directExecutor()
            .addService(inferenceService(options, registry, this::isReady, metrics))
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
   * Starts serving; the repository's models load in the background, and ServerReady turns true once
   * the first pass over the repository has finished.
   */
  public static Worker start(WorkerOptions options) throws IOException {
    Worker worker = new Worker(options);
    worker.lifecycle.start(options.pollInterval());
    if (options.cluster().isPresent()) {
      ClusterOptions cluster = options.cluster().get();
      try {
        worker.clusterAgent =
            ClusterAgent.start(
                cluster,
                worker.port(),
                options.session().device(),
                worker.registry,
                options.modelRepository(),
                worker.lifecycle::reconcile);
      } catch (IOException | RuntimeException e) {
        worker.close();
        throw e;
      }
      log.info(
          "worker serving gRPC on port {} in cluster mode: control plane {}, models kept in {}",
          worker.port(),
          cluster.controlPlane(),
          options.modelRepository());
    } else {
      log.info(
          "worker serving gRPC on port {} from model repository {}",
          worker.port(),
          options.modelRepository());
    }
    return worker;
  }

  /** The gRPC port. */
  public int port() {
    return server.getPort();
  }

  /** The metrics port, or -1 when metrics are off. */
  public int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.port();
  }

  /** The loaded models. */
  public ModelRegistry registry() {
    return registry;
  }

  /** Scans the repository now instead of waiting for the next poll. */
  public void reconcileNow() {
    lifecycle.reconcile();
  }

  /** Whether the first pass over the repository has finished and the worker is not stopping. */
  public boolean isReady() {
    return lifecycle.hasScanned() && !stopping;
  }

  /** Stops taking calls, lets in-flight requests finish within the grace period, unloads models. */
  @Override
  public void close() {
    stopping = true;
    if (clusterAgent != null) {
      clusterAgent.close();
    }
    health.shutdown();
    server.shutdown();
    try {
      if (!server.awaitTermination(options.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "in-flight requests did not finish within {}; cancelling", options.shutdownGrace());
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
    lifecycle.close();
    if (metricsServer != null) {
      metricsServer.close();
    }
    metrics.close();
  }

  /**
   * The inference service behind its interceptors: the {@code maas-model-id} header always, and in
   * cluster mode the cluster token (checked first). Health and reflection stay open.
   */
  private static ServerServiceDefinition inferenceService(
      WorkerOptions options, ModelRegistry registry, BooleanSupplier ready, WorkerMetrics metrics) {
    List<ServerInterceptor> interceptors = new ArrayList<>();
    options
        .cluster()
        .ifPresent(cluster -> interceptors.add(new ClusterTokenInterceptor(cluster.token())));
    interceptors.add(new ModelIdInterceptor());
    return ServerInterceptors.interceptForward(
        new InferenceService(registry, ready, metrics), interceptors);
  }

  private static ModelLoader tensorflowLoader(SessionSettings settings) {
    return (directory, signatureName) -> {
      SavedModelRuntime runtime = SavedModelRuntime.load(directory, signatureName, settings);
      return new LoadedModel(runtime.signature(), runtime::run, runtime);
    };
  }
}
