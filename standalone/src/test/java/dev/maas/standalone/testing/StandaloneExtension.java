package dev.maas.standalone.testing;

import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.maas.standalone.Platform;
import dev.maas.standalone.StandaloneOptions;
import dev.maas.standalone.demo.Bearer;
import dev.maas.standalone.demo.DemoCredentials;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the real standalone platform (control plane on its embedded PostgreSQL, a worker, the
 * gateway) on free ports over a fresh temporary data directory, once per test class, with the demo
 * set up. Register it as a static field with {@code @RegisterExtension}.
 */
public final class StandaloneExtension implements BeforeAllCallback, AfterAllCallback {

  private static final Duration DEMO_TIMEOUT = Duration.ofMinutes(5);

  private Path dataDir;
  private Platform platform;
  private DemoCredentials demo;
  private ManagedChannel gatewayChannel;
  private ManagedChannel controlPlaneChannel;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dataDir = Files.createTempDirectory("maas-standalone-test");
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      stop();
    } finally {
      deleteTree(dataDir);
    }
  }

  /** Starts the platform over the data directory and runs the demo bootstrap. */
  public void start() throws IOException, InterruptedException {
    StandaloneOptions options =
        StandaloneOptions.ephemeral(dataDir)
            .withControlPlaneProperties(
                Map.of(
                    "maas.cluster.heartbeat-timeout-ms", 3000,
                    "maas.cluster.reconcile-interval-ms", 250));
    platform = Platform.start(options);
    gatewayChannel = Platform.loopbackChannel(platform.gatewayPort());
    controlPlaneChannel = Platform.loopbackChannel(platform.controlPlanePort());
    demo = platform.bootstrapDemo(DEMO_TIMEOUT);
  }

  /** Stops the platform, keeping its data directory. */
  public void stop() throws InterruptedException {
    if (platform == null) {
      return;
    }
    gatewayChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    controlPlaneChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    platform.close();
    platform = null;
  }

  /** The running platform. */
  public Platform platform() {
    return platform;
  }

  /** The data directory. */
  public Path dataDir() {
    return dataDir;
  }

  /** The demo's infer key, as the bootstrap made (or found) it on the latest start. */
  public String demoKey() {
    return demo.inferKey();
  }

  /** The demo's credentials, as the bootstrap saved them on the latest start. */
  public DemoCredentials demoCredentials() {
    return demo;
  }

  /** An inference stub on the gateway that presents {@code key}. */
  public GRPCInferenceServiceBlockingStub gateway(String key) {
    return GRPCInferenceServiceGrpc.newBlockingStub(Bearer.over(gatewayChannel, key))
        .withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  /** The admin API, as the platform admin. */
  public TestAdmin admin() {
    return new TestAdmin(
        Bearer.over(controlPlaneChannel, platform.adminToken()), platform.deviceForDeployments());
  }

  /** A channel to the admin API that presents {@code credential} (a manage key or admin token). */
  public Channel adminAs(String credential) {
    return Bearer.over(controlPlaneChannel, credential);
  }

  private static void deleteTree(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
