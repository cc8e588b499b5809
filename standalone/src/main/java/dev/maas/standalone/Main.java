package dev.maas.standalone;

import dev.maas.launch.EnvironmentDefaults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The all-in-one launcher: {@code java -jar maas-server.jar [--data-dir ./data]} runs the control
 * plane on an embedded PostgreSQL, one worker and the gateway in this JVM, sets up the demo and
 * stays up until the JVM is asked to stop (Ctrl-C, SIGTERM).
 */
@Command(
    name = "maas-server",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Runs the whole maas platform in one JVM: the control plane (with an embedded PostgreSQL"
          + " under the data directory), one worker and the gateway; then sets up the demo tenant,"
          + " key and models.",
      "Every option can also be set as an environment variable: --data-dir as MAAS_DATA_DIR,"
          + " --gateway-port as MAAS_GATEWAY_PORT, and so on."
    })
public final class Main implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  @Option(
      names = "--data-dir",
      defaultValue = "./data",
      description =
          "Database, artifacts, secrets, worker cache, demo key (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--gateway-port",
      defaultValue = "8001",
      description = "Gateway gRPC port, the one tenants call (default ${DEFAULT-VALUE}).")
  int gatewayPort;

  @Option(
      names = "--gateway-metrics-port",
      defaultValue = "8002",
      description = "Gateway Prometheus port, -1 to disable (default ${DEFAULT-VALUE}).")
  int gatewayMetricsPort;

  @Option(
      names = "--control-plane-port",
      defaultValue = "7001",
      description = "Control plane gRPC port: admin API (default ${DEFAULT-VALUE}).")
  int controlPlanePort;

  @Option(
      names = "--control-plane-http-port",
      defaultValue = "7000",
      description =
          "Control plane HTTP port: health, metrics; -1 to disable (default ${DEFAULT-VALUE}).")
  int controlPlaneHttpPort;

  @Option(
      names = "--worker-port",
      defaultValue = "9001",
      description = "Worker gRPC port (default ${DEFAULT-VALUE}).")
  int workerPort;

  @Option(
      names = "--worker-metrics-port",
      defaultValue = "9002",
      description = "Worker Prometheus port, -1 to disable (default ${DEFAULT-VALUE}).")
  int workerMetricsPort;

  @Option(
      names = "--worker-slots",
      defaultValue = "8",
      description = "Model replicas the worker may hold at once (default ${DEFAULT-VALUE}).")
  int workerSlots;

  @Option(
      names = "--usage-report-interval-seconds",
      defaultValue = "5",
      description = "How often the gateway reports usage (default ${DEFAULT-VALUE}).")
  double usageReportIntervalSeconds;

  @Option(
      names = "--shutdown-grace-seconds",
      defaultValue = "10",
      description = "How long in-flight calls may finish on shutdown (default ${DEFAULT-VALUE}).")
  int shutdownGraceSeconds;

  @Option(
      names = "--demo",
      description =
          "Set up the demo tenant, key and models, skipping what exists; a later start reuses"
              + " them.")
  boolean demo;

  @Option(
      names = "--demo-timeout-seconds",
      defaultValue = "600",
      description = "How long the demo models may take to serve (default ${DEFAULT-VALUE}).")
  int demoTimeoutSeconds;

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    int code = commandLine(System.getenv()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** The parser, with options also read from MAAS_* environment variables. */
  static CommandLine commandLine(Map<String, String> environment) {
    return new CommandLine(new Main())
        .setDefaultValueProvider(new EnvironmentDefaults(environment));
  }

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    Platform platform = Platform.start(options());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("shutting down");
                  platform.close();
                  stopped.countDown();
                },
                "shutdown"));
    if (demo) {
      try {
        platform.bootstrapDemo(Duration.ofSeconds(demoTimeoutSeconds));
      } catch (RuntimeException e) {
        log.error("the demo could not be set up; stopping", e);
        return 1;
      }
    }
    log.info("{}", Banner.text(platform, demo, Duration.ofNanos(System.nanoTime() - started)));
    stopped.await();
    return 0;
  }

  /** The options the flags and environment give. */
  StandaloneOptions options() {
    return new StandaloneOptions(
        dataDir,
        controlPlanePort,
        controlPlaneHttpPort,
        workerPort,
        workerMetricsPort,
        workerSlots,
        gatewayPort,
        gatewayMetricsPort,
        Duration.ofMillis(Math.round(usageReportIntervalSeconds * 1000)),
        Duration.ofSeconds(shutdownGraceSeconds),
        Map.of());
  }

  /** Reads the version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"maas-server " + (version == null ? "dev" : version)};
    }
  }
}
