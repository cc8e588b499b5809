package dev.maas.worker;

import dev.maas.launch.ConnectionLimitFlags;
import dev.maas.launch.EnvironmentDefaults;
import dev.maas.worker.cluster.ClusterFlags;
import dev.maas.worker.cluster.ClusterOptions;
import dev.maas.worker.demo.DemoModels;
import dev.maas.worker.runtime.SessionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The worker's command line: {@code java -jar maas-worker.jar --model-repository DIR}, or {@code
 * --control-plane HOST:PORT} in a cluster.
 */
@Command(
    name = "maas-worker",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    subcommands = Main.ExportDemoModels.class,
    description = {
      "Serves the TensorFlow SavedModels of a model repository over the Open Inference Protocol"
          + " (gRPC), with dynamic batching; in a cluster (--control-plane) it serves the models"
          + " the control plane assigns.",
      "Every option can also be set as an environment variable: --model-repository as"
          + " MAAS_MODEL_REPOSITORY, and so on."
    })
public final class Main implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model-repository",
      description =
          "Model repository: DIR/<model>/<version>/ holds a SavedModel (required unless"
              + " --control-plane is given).")
  Path modelRepository;

  @Mixin ClusterFlags cluster;

  @Option(
      names = "--port",
      defaultValue = "9001",
      description = "gRPC port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--metrics-port",
      defaultValue = "9002",
      description = "Prometheus metrics port, -1 to disable (default ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(
      names = "--poll-interval-seconds",
      defaultValue = "2",
      description = "How often the repository is scanned for changes (default ${DEFAULT-VALUE}).")
  double pollIntervalSeconds;

  @Option(
      names = "--intra-op-threads",
      defaultValue = "0",
      description = "TensorFlow threads within one op; 0 lets TensorFlow choose.")
  int intraOpThreads;

  @Option(
      names = "--inter-op-threads",
      defaultValue = "0",
      description = "TensorFlow threads across ops; 0 lets TensorFlow choose.")
  int interOpThreads;

  @Option(
      names = "--device",
      description = "cpu or gpu (default: the device this build was made for).")
  SessionSettings.Device device;

  @Option(
      names = "--max-message-bytes",
      defaultValue = "67108864",
      description = "Largest gRPC message accepted (default ${DEFAULT-VALUE}).")
  int maxMessageBytes;

  @Option(
      names = "--shutdown-grace-seconds",
      defaultValue = "10",
      description =
          "How long in-flight requests may finish on shutdown (default ${DEFAULT-VALUE}).")
  int shutdownGraceSeconds;

  @Mixin ConnectionLimitFlags connectionLimits;

  @Option(
      names = "--demo-models",
      description = "Write the demo models into the repository first (models already there stay).")
  boolean demoModels;

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The parser, with options also read from MAAS_* environment variables. */
  static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setDefaultValueProvider(new EnvironmentDefaults(System.getenv()))
        .setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public Integer call() throws Exception {
    Optional<ClusterOptions> clusterOptions = clusterOptions();
    Path repository = clusterOptions.isPresent() ? cluster.repositoryDirectory() : modelRepository;
    if (clusterOptions.isEmpty()) {
      if (demoModels) {
        Files.createDirectories(modelRepository);
        DemoModels.exportRepository(modelRepository);
      }
      if (!Files.isDirectory(modelRepository)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "model repository " + modelRepository + " is not a directory");
      }
    }
    SessionSettings defaults = SessionSettings.defaults();
    SessionSettings session =
        new SessionSettings(
            intraOpThreads, interOpThreads, device == null ? defaults.device() : device);
    WorkerOptions options =
        new WorkerOptions(
            repository,
            port,
            metricsPort,
            Duration.ofMillis(Math.round(pollIntervalSeconds * 1000)),
            session,
            maxMessageBytes,
            Duration.ofSeconds(shutdownGraceSeconds),
            clusterOptions,
            connectionLimits.limits());
    Worker worker = Worker.start(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("shutting down");
                  worker.close();
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
    return 0;
  }

  /**
   * The cluster options when {@code --control-plane} is given, else empty; checks that exactly one
   * model source is named.
   */
  private Optional<ClusterOptions> clusterOptions() {
    if (!cluster.enabled()) {
      if (modelRepository == null) {
        // Checked here, not by picocli, so subcommands such as export-demo-models run without it.
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "Missing required option: '--model-repository=<modelRepository>' (or"
                + " --control-plane=HOST:PORT for cluster mode)");
      }
      return Optional.empty();
    }
    if (modelRepository != null || demoModels) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--control-plane takes models from the control plane: leave out --model-repository and"
              + " --demo-models (--cache-dir says where assigned models are kept)");
    }
    try {
      return Optional.of(cluster.toOptions(System.getenv()));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** {@code export-demo-models DIR}: writes the demo models as a model repository. */
  @Command(
      name = "export-demo-models",
      mixinStandardHelpOptions = true,
      description = "Writes the demo models (lenet, binary_classifier, ...) as a model repository.")
  static final class ExportDemoModels implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "The model repository to write.")
    Path directory;

    @Override
    public Integer call() throws Exception {
      Files.createDirectories(directory);
      DemoModels.exportRepository(directory);
      log.info("demo models written to {}", directory);
      return 0;
    }
  }

  /** Reads the version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"maas-worker " + (version == null ? "dev" : version)};
    }
  }
}
