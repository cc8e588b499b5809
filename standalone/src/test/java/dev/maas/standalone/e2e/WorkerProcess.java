package dev.maas.standalone.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real worker, run from the worker module's runnable jar as a process of its own in cluster mode,
 * so that killing it is a real crash: its connections drop, its heartbeats stop.
 */
public final class WorkerProcess implements AutoCloseable {

  /** The runnable worker jar, built by the worker module. */
  public static final Path JAR =
      Path.of("..", "worker", "target", "maas-worker.jar").toAbsolutePath();

  private final String id;
  private final Process process;
  private final int port;
  private final Path log;

  private WorkerProcess(String id, Process process, int port, Path log) {
    this.id = id;
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts a worker that registers as {@code id} with the control plane at {@code controlPlane},
   * advertising {@code 127.0.0.1:<port>}; returns at once (it registers in the background).
   */
  public static WorkerProcess start(
      String id, String controlPlane, String clusterToken, Path workDir) throws IOException {
    return start(id, controlPlane, clusterToken, workDir, -1);
  }

  /**
   * Starts a worker as {@link #start(String, String, String, Path)} does, serving Prometheus
   * metrics at {@code http://127.0.0.1:<metricsPort>/metrics} unless {@code metricsPort} is -1.
   */
  public static WorkerProcess start(
      String id, String controlPlane, String clusterToken, Path workDir, int metricsPort)
      throws IOException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(
          JAR + " is missing: build the worker first (./mvnw -pl worker -am install -DskipTests)");
    }
    int port = EndToEndCluster.freePort();
    Files.createDirectories(workDir);
    Path log = workDir.resolve("worker.log");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx384m",
            "-jar",
            JAR.toString(),
            "--control-plane",
            controlPlane,
            "--worker-id",
            id,
            "--port",
            Integer.toString(port),
            "--advertise-address",
            "127.0.0.1:" + port,
            "--metrics-port",
            Integer.toString(metricsPort),
            "--slots",
            "8",
            "--intra-op-threads",
            "1",
            "--inter-op-threads",
            "1",
            "--shutdown-grace-seconds",
            "2",
            "--cache-dir",
            workDir.resolve("cache").toString());
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("MAAS_CLUSTER_TOKEN", clusterToken);
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    return new WorkerProcess(id, builder.start(), port, log);
  }

  /** The id it registers under. */
  public String id() {
    return id;
  }

  /** The address it advertises, as routing snapshots name it. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  /** Its log file (stdout and stderr). */
  public Path log() {
    return log;
  }

  /** Whether the process still runs. */
  public boolean alive() {
    return process.isAlive();
  }

  /** Kills it at once (SIGKILL), as a crash would, and waits until it is gone. */
  public void kill() throws InterruptedException {
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
