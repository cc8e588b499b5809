package dev.maas.controlplane.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real worker, run from the worker module's runnable jar as a separate process, so the control
 * plane is tested against the real thing without depending on the worker's code.
 */
final class WorkerProcess implements AutoCloseable {

  /** The runnable worker jar; the reactor builds the worker module before this one. */
  static final Path JAR = Path.of("..", "worker", "target", "maas-worker.jar").toAbsolutePath();

  private final Process process;
  private final int port;

  private WorkerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts a worker in cluster mode against the control plane at {@code controlPlane}. */
  static WorkerProcess start(String id, String controlPlane, String clusterToken, Path workDir)
      throws IOException {
    requireJar();
    int port = freePort();
    Files.createDirectories(workDir);
    List<String> command =
        new ArrayList<>(
            List.of(
                javaBinary(),
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
                "-1",
                "--slots",
                "4",
                "--cache-dir",
                workDir.resolve("cache").toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("worker.log").toFile());
    builder.environment().put("MAAS_CLUSTER_TOKEN", clusterToken);
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    return new WorkerProcess(builder.start(), port);
  }

  /** Writes the demo models with the worker jar's own exporter. */
  static void exportDemoModels(Path directory) throws IOException, InterruptedException {
    requireJar();
    Process export =
        new ProcessBuilder(
                javaBinary(), "-jar", JAR.toString(), "export-demo-models", directory.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!export.waitFor(2, TimeUnit.MINUTES) || export.exitValue() != 0) {
      throw new IllegalStateException("export-demo-models failed");
    }
  }

  /** The address gateways dial. */
  String address() {
    return "127.0.0.1:" + port;
  }

  /** The gRPC port. */
  int port() {
    return port;
  }

  /** Kills the worker at once, as a crash would. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      kill();
    }
  }

  private static void requireJar() {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(
          JAR + " is missing: build the worker first (./mvnw -pl worker -am package -DskipTests)");
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
