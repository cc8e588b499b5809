package dev.maas.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A maas service (control plane, worker or gateway) run from its runnable jar as a JVM of its own,
 * so that its CPU time can be read apart from the client's. Output goes to a log file.
 */
final class ServiceProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Path log;

  private ServiceProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code java <jvmFlags> -jar <jar> <args>} with {@code env} added to this environment;
   * returns at once.
   */
  static ServiceProcess start(
      String name,
      Path jar,
      List<String> jvmFlags,
      List<String> args,
      Map<String, String> env,
      Path workDir)
      throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar
              + " is missing: build it first (./mvnw -q -B -DskipTests package -pl bench -am)"
              + " or name it with the jar flags");
    }
    Files.createDirectories(workDir);
    Path log = workDir.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    // Ctrl-C or a kill of the bench must not leave the services running.
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-" + name));
    return new ServiceProcess(name, process, log);
  }

  /** What it is, such as {@code worker}. */
  String name() {
    return name;
  }

  /** Its process id. */
  long pid() {
    return process.pid();
  }

  /** Its log file. */
  Path log() {
    return log;
  }

  /** CPU time it has used so far, all threads, user and system. */
  Duration cpuTime() {
    return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** Fails with the end of its log when it has exited. */
  void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          name + " exited with " + process.exitValue() + "; its log ends:\n" + tail());
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(" + log + " unreadable: " + e.getMessage() + ")";
    }
  }

  /** Stops it (SIGTERM), killing it if it has not ended within 15 s. */
  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
    }
  }
}
