package dev.maas.bench;

import dev.maas.proto.cluster.v1.RoutedModel;
import dev.maas.proto.cluster.v1.RoutedVersion;
import dev.maas.proto.cluster.v1.RoutingServiceGrpc;
import dev.maas.proto.cluster.v1.RoutingSnapshot;
import dev.maas.proto.cluster.v1.WatchRoutingRequest;
import dev.maas.sdk.MaasAdminClient;
import dev.maas.sdk.MaasClient;
import dev.maas.sdk.admin.Batching;
import dev.maas.sdk.admin.ModelVersion;
import dev.maas.sdk.admin.Quota;
import dev.maas.sdk.admin.Scope;
import dev.maas.sdk.admin.UploadProgress;
import dev.maas.sdk.admin.VersionState;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A one-node maas cluster on loopback, each service a process of its own: the control plane (with
 * its embedded PostgreSQL), one worker in cluster mode and one gateway. Set up through the admin
 * API as a tenant would be: a tenant with quotas far above the load, an infer key, and the demo
 * models uploaded and deployed once per batching setting.
 */
final class BenchCluster implements AutoCloseable {

  static final String TENANT = "bench";
  static final String ADMIN_TOKEN = "bench-admin-token-0123456789abcdef";
  static final String CLUSTER_TOKEN = "bench-cluster-token-0123456789abcdef";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  private final List<ServiceProcess> processes = new ArrayList<>();
  private final Map<String, Deployment> deployments = new LinkedHashMap<>();
  private int controlPlanePort;
  private int workerPort;
  private int gatewayPort;
  private String inferKey;

  private BenchCluster() {}

  /**
   * Starts the cluster and deploys each entry of {@code batchings} (deployment name suffix →
   * batching) for each model whose SavedModel {@code artifacts} holds (model → directory).
   */
  static BenchCluster start(
      BenchSettings settings, Map<String, Path> artifacts, Map<String, Batching> batchings)
      throws IOException, InterruptedException {
    BenchCluster cluster = new BenchCluster();
    try {
      cluster.startProcesses(settings);
      cluster.deploy(artifacts, batchings);
      return cluster;
    } catch (RuntimeException | IOException | InterruptedException e) {
      cluster.close();
      throw e;
    }
  }

  private void startProcesses(BenchSettings settings) throws IOException, InterruptedException {
    Path work = settings.workDir();
    controlPlanePort = freePort();
    workerPort = freePort();
    gatewayPort = freePort();
    started(
        ServiceProcess.start(
            "control-plane",
            settings.controlPlaneJar(),
            settings.jvmFlagsOf("control-plane"),
            List.of(),
            Map.of(
                "MAAS_DATA_DIR",
                work.resolve("control-plane").toString(),
                "MAAS_GRPC_PORT",
                Integer.toString(controlPlanePort),
                "MICRONAUT_SERVER_PORT",
                "-1",
                "MAAS_ADMIN_TOKEN",
                ADMIN_TOKEN,
                "MAAS_CLUSTER_TOKEN",
                CLUSTER_TOKEN),
            work));
    String controlPlaneTarget = "127.0.0.1:" + controlPlanePort;
    started(
        ServiceProcess.start(
            "worker",
            settings.workerJar(),
            settings.jvmFlagsOf("worker"),
            List.of(
                "--control-plane",
                controlPlaneTarget,
                "--worker-id",
                "bench-worker",
                "--port",
                Integer.toString(workerPort),
                "--advertise-address",
                "127.0.0.1:" + workerPort,
                "--metrics-port",
                "-1",
                "--slots",
                "16",
                "--intra-op-threads",
                Integer.toString(settings.intraOpThreads()),
                "--inter-op-threads",
                Integer.toString(settings.interOpThreads()),
                "--shutdown-grace-seconds",
                "2",
                "--cache-dir",
                work.resolve("worker-cache").toString()),
            Map.of("MAAS_CLUSTER_TOKEN", CLUSTER_TOKEN, "TF_CPP_MIN_LOG_LEVEL", "2"),
            work));
    started(
        ServiceProcess.start(
            "gateway",
            settings.gatewayJar(),
            settings.jvmFlagsOf("gateway"),
            List.of(
                "--control-plane", controlPlaneTarget,
                "--port", Integer.toString(gatewayPort),
                "--metrics-port", "-1",
                "--gateway-id", "bench-gateway",
                "--shutdown-grace-seconds", "2"),
            Map.of("MAAS_CLUSTER_TOKEN", CLUSTER_TOKEN),
            work));
    try (MaasAdminClient admin = admin()) {
      awaitTrue("the control plane", () -> tryCall(() -> admin.tenants().list() != null));
    }
  }

  private void deploy(Map<String, Path> artifacts, Map<String, Batching> batchings)
      throws InterruptedException {
    try (MaasAdminClient admin = admin()) {
      admin.tenants().create(TENANT, "benchmarks");
      admin
          .quotas()
          .set(
              TENANT,
              new Quota(
                  1e9,
                  1_000_000_000L,
                  100_000L,
                  256L << 20,
                  Long.MAX_VALUE / 2,
                  1000L,
                  1L << 40,
                  1000L));
      inferKey = admin.apiKeys().create(TENANT, List.of(Scope.INFER), "bench", null).secret();
      for (Map.Entry<String, Path> artifact : artifacts.entrySet()) {
        for (Map.Entry<String, Batching> batching : batchings.entrySet()) {
          String name = artifact.getKey() + "-" + batching.getKey();
          admin.models().create(TENANT, name, "bench: " + batching.getKey());
          long version =
              admin
                  .models()
                  .upload(TENANT, name, artifact.getValue(), UploadProgress.NONE)
                  .version()
                  .version();
          ModelVersion settled =
              admin.models().awaitSettled(TENANT, name, version, Duration.ofMinutes(1));
          if (settled.state() != VersionState.READY) {
            throw new IllegalStateException(
                name + " version " + version + " is " + settled.state() + ": " + settled.reason());
          }
          admin
              .deployments()
              .set(
                  dev.maas.sdk.admin.Deployment.builder(TENANT, name, version)
                      .replicas(1)
                      .batching(batching.getValue())
                      .build());
          deployments.put(name, new Deployment(artifact.getKey(), name, ""));
        }
      }
    }
    awaitRouted();
    try (MaasClient client = inference()) {
      for (String name : deployments.keySet()) {
        awaitTrue(name + " through the gateway", () -> tryCall(() -> client.isModelReady(name)));
      }
    }
  }

  /** Waits until every deployment has a worker address in the routing, and notes its model id. */
  private void awaitRouted() throws InterruptedException {
    ManagedChannel channel = loopback(controlPlanePort);
    try {
      awaitTrue(
          "every deployment routed to the worker",
          () -> {
            RoutingSnapshot snapshot = tryCall(() -> routing(channel)).orElse(null);
            if (snapshot == null) {
              return false;
            }
            for (RoutedModel model : snapshot.getModelsList()) {
              Deployment known = deployments.get(model.getName());
              Optional<RoutedVersion> serving =
                  model.getVersionsList().stream().filter(v -> v.getAddressesCount() > 0).findAny();
              if (known != null && model.getTenant().equals(TENANT) && serving.isPresent()) {
                deployments.put(
                    known.name(),
                    new Deployment(known.model(), known.name(), serving.get().getModelId()));
              }
            }
            return deployments.values().stream().noneMatch(d -> d.modelId().isEmpty());
          });
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static RoutingSnapshot routing(ManagedChannel channel) {
    Metadata headers = new Metadata();
    headers.put(Headers.AUTHORIZATION, "Bearer " + CLUSTER_TOKEN);
    try (Context.CancellableContext scope = Context.current().withCancellation()) {
      return scope.call(
          () ->
              RoutingServiceGrpc.newBlockingStub(channel)
                  .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                  .withDeadlineAfter(10, TimeUnit.SECONDS)
                  .watchRouting(
                      WatchRoutingRequest.newBuilder().setGatewayId("bench-observer").build())
                  .next());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the routing snapshot", e);
    }
  }

  /** The deployment of {@code model} (a demo model) with batching {@code suffix}. */
  Deployment deployment(String model, String suffix) {
    Deployment deployment = deployments.get(model + "-" + suffix);
    if (deployment == null) {
      throw new IllegalArgumentException("no deployment " + model + "-" + suffix);
    }
    return deployment;
  }

  /** The gateway's gRPC port. */
  int gatewayPort() {
    return gatewayPort;
  }

  /** The worker's gRPC port. */
  int workerPort() {
    return workerPort;
  }

  /** The infer key of the bench tenant. */
  String inferKey() {
    return inferKey;
  }

  /** The CPU time each service process has used so far, by name. */
  Map<String, Duration> cpuTimes() {
    Map<String, Duration> times = new LinkedHashMap<>();
    for (ServiceProcess process : processes) {
      process.checkAlive();
      times.put(process.name(), process.cpuTime());
    }
    return times;
  }

  /** The process ids, by name. */
  Map<String, Long> pids() {
    Map<String, Long> pids = new LinkedHashMap<>();
    processes.forEach(p -> pids.put(p.name(), p.pid()));
    return pids;
  }

  private ServiceProcess started(ServiceProcess process) {
    processes.add(process);
    return process;
  }

  private MaasAdminClient admin() {
    return MaasAdminClient.builder()
        .target("127.0.0.1:" + controlPlanePort)
        .token(ADMIN_TOKEN)
        .timeout(Duration.ofSeconds(60))
        .build();
  }

  private MaasClient inference() {
    return MaasClient.builder().target("127.0.0.1:" + gatewayPort).apiKey(inferKey).build();
  }

  private <T> Optional<T> tryCall(Supplier<T> call) {
    for (ServiceProcess process : processes) {
      process.checkAlive();
    }
    try {
      return Optional.ofNullable(call.get());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static void awaitTrue(String what, Supplier<?> condition) throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Object value = condition.get();
      if (Boolean.TRUE.equals(value)
          || (value instanceof Optional<?> optional
              && optional.isPresent()
              && !Boolean.FALSE.equals(optional.get()))) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(what + " not ready within " + START_TIMEOUT);
  }

  static ManagedChannel loopback(int port) {
    // Callbacks run on the event loop: the closed loop sends its next call from there, without a
    // hop to another thread, so the client costs as little CPU as it can.
    return NettyChannelBuilder.forAddress("127.0.0.1", port)
        .usePlaintext()
        .directExecutor()
        .maxInboundMessageSize(64 << 20)
        .build();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  /** Stops the gateway, the worker and the control plane, in that order. */
  @Override
  public void close() throws InterruptedException {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
  }
}
