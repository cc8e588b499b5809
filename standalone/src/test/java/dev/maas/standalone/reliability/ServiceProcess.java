package dev.maas.standalone.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The control plane or the gateway run from its module's runnable jar as a process of its own, so
 * that {@link #kill} is a real crash ({@code kill -9}): connections drop, nothing is flushed. Its
 * stdout and stderr go to a log file, appended across restarts.
 */
final class ServiceProcess implements AutoCloseable {

  static final Path CONTROL_PLANE_JAR =
      Path.of("..", "control-plane", "target", "maas-control-plane.jar").toAbsolutePath();
  static final Path GATEWAY_JAR =
      Path.of("..", "gateway", "target", "maas-gateway.jar").toAbsolutePath();

  private final String name;
  private final Process process;
  private final Path log;

  private ServiceProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts a control plane on the PostgreSQL database at {@code jdbcUrl} (user postgres), keeping
   * artifacts and its master key under {@code dataDir}, serving gRPC on {@code grpcPort}.
   */
  static ServiceProcess controlPlane(
      String jdbcUrl, Path dataDir, int grpcPort, String adminToken, String clusterToken)
      throws IOException {
    List<String> arguments =
        List.of(
            "--data-dir",
            dataDir.toString(),
            "--maas.grpc-port=" + grpcPort,
            "--micronaut.server.port=-1",
            "--maas.cluster.heartbeat-interval-ms=300",
            "--maas.cluster.heartbeat-timeout-ms=1500",
            "--maas.cluster.reconcile-interval-ms=250");
    return start(
        "control-plane",
        CONTROL_PLANE_JAR,
        "-Xmx384m",
        arguments,
        Map.of(
            "MAAS_DB_URL", jdbcUrl,
            "MAAS_DB_USER", "postgres",
            "MAAS_ADMIN_TOKEN", adminToken,
            "MAAS_CLUSTER_TOKEN", clusterToken),
        dataDir.resolveSibling("control-plane.log"));
  }

  /**
   * Starts a gateway with heap limit {@code maxHeap} (as {@code -Xmx} takes it) on {@code port},
   * with Prometheus metrics on {@code metricsPort}, reporting usage every {@code
   * usageReportSeconds} and keeping it in a journal in {@code usageJournal} until acknowledged.
   */
  static ServiceProcess gateway(
      String controlPlane,
      String clusterToken,
      int port,
      int metricsPort,
      String maxHeap,
      double usageReportSeconds,
      Path usageJournal,
      Path log)
      throws IOException {
    return start(
        "gateway",
        GATEWAY_JAR,
        "-Xmx" + maxHeap,
        List.of(
            "--control-plane",
            controlPlane,
            "--port",
            Integer.toString(port),
            "--metrics-port",
            Integer.toString(metricsPort),
            "--gateway-id",
            "reliability-gateway",
            "--usage-report-interval-seconds",
            Double.toString(usageReportSeconds),
            "--usage-journal-dir",
            usageJournal.toString(),
            "--shutdown-grace-seconds",
            "2"),
        Map.of("MAAS_CLUSTER_TOKEN", clusterToken),
        log);
  }

  private static ServiceProcess start(
      String name,
      Path jar,
      String maxHeap,
      List<String> arguments,
      Map<String, String> environment,
      Path log)
      throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build it first (./mvnw -pl standalone -am package -DskipTests)");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(maxHeap);
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(arguments);
    Files.createDirectories(log.getParent());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    return new ServiceProcess(name, builder.start(), log);
  }

  String name() {
    return name;
  }

  boolean alive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  /** Whether its log (of every start so far) mentions {@code text}. */
  boolean logMentions(String text) throws IOException {
    return Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text);
  }

  /** Kills it at once (SIGKILL), as a crash would, and waits until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /** Stops it gracefully (SIGTERM), killing it if it has not ended within 20 s. */
  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
