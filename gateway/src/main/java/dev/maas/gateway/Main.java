package dev.maas.gateway;

import dev.maas.gateway.forwarding.RetryPolicy;
import dev.maas.gateway.routing.EjectionPolicy;
import dev.maas.gateway.snapshot.ReconnectBackoff;
import dev.maas.launch.ConnectionLimitFlags;
import dev.maas.launch.EnvironmentDefaults;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The gateway's command line: {@code java -jar maas-gateway.jar --control-plane HOST:7001}. */
@Command(
    name = "maas-gateway",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Serves the Open Inference Protocol (gRPC) to tenants: authenticates API keys, enforces"
          + " quotas, routes each call to a worker and meters usage.",
      "The cluster token comes from MAAS_CLUSTER_TOKEN or --cluster-token-file. Every option can"
          + " also be set as an environment variable: --control-plane as MAAS_CONTROL_PLANE, and"
          + " so on."
    })
public final class Main implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  @Option(
      names = "--control-plane",
      required = true,
      description = "The control plane's cluster API, HOST:PORT (its port is 7001 by default).")
  String controlPlane;

  @Option(
      names = "--port",
      defaultValue = "8001",
      description = "gRPC port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--metrics-port",
      defaultValue = "8002",
      description = "Prometheus metrics port, -1 to disable (default ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(
      names = "--cluster-token-file",
      description = "File holding the cluster token (instead of MAAS_CLUSTER_TOKEN).")
  Path clusterTokenFile;

  @Option(
      names = "--gateway-id",
      description = "This gateway's id in the control plane (default: the host name).")
  String gatewayId;

  @Option(
      names = "--replicas-hint",
      defaultValue = "1",
      description =
          "Gateways sharing the tenants' rate and concurrency limits; each enforces 1/N of them"
              + " (default ${DEFAULT-VALUE}).")
  int replicasHint;

  @Option(
      names = "--max-message-bytes",
      defaultValue = "67108864",
      description = "Largest gRPC message accepted (default ${DEFAULT-VALUE}).")
  int maxMessageBytes;

  @Option(
      names = "--max-attempts",
      defaultValue = "3",
      description =
          "Attempts per call across worker replicas, retries included (default ${DEFAULT-VALUE}).")
  int maxAttempts;

  @Option(
      names = "--usage-report-interval-seconds",
      defaultValue = "5",
      description = "How often usage is reported to the control plane (default ${DEFAULT-VALUE}).")
  double usageReportIntervalSeconds;

  @Option(
      names = "--shutdown-grace-seconds",
      defaultValue = "10",
      description = "How long in-flight calls may finish on shutdown (default ${DEFAULT-VALUE}).")
  int shutdownGraceSeconds;

  @Mixin ConnectionLimitFlags connectionLimits;

  @Option(
      names = "--metrics-max-tenants",
      defaultValue = "100",
      description =
          "Tenants with a metrics label of their own; later ones share '_other' (default ${DEFAULT-VALUE}).")
  int metricsMaxTenants;

  @Option(
      names = "--usage-journal-dir",
      description =
          "Keep metered usage on disk here until the control plane acknowledges it, so a gateway"
              + " killed without warning loses none on restart (default: memory only).")
  Path usageJournalDir;

  @Spec CommandSpec spec;

  private final Map<String, String> environment;

  Main(Map<String, String> environment) {
    this.environment = environment;
  }

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(commandLine(System.getenv()).execute(args));
  }

  /** The parser, with options also read from MAAS_* environment variables. */
  static CommandLine commandLine(Map<String, String> environment) {
    return new CommandLine(new Main(environment))
        .setDefaultValueProvider(new EnvironmentDefaults(environment));
  }

  @Override
  public Integer call() throws Exception {
    Gateway gateway = Gateway.start(options(), usageJournalDir);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("shutting down");
                  gateway.close();
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
    return 0;
  }

  /** The options the flags and environment give. */
  GatewayOptions options() throws Exception {
    if (replicasHint < 1) {
      throw parameterError("--replicas-hint must be at least 1");
    }
    if (maxAttempts < 1) {
      throw parameterError("--max-attempts must be at least 1");
    }
    RetryPolicy defaults = RetryPolicy.defaults();
    return new GatewayOptions(
        controlPlane,
        clusterToken(),
        gatewayId != null ? gatewayId : hostName(),
        port,
        metricsPort,
        replicasHint,
        maxMessageBytes,
        new RetryPolicy(maxAttempts, defaults.initialBackoff(), defaults.maxBackoff()),
        EjectionPolicy.defaults(),
        new ReconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(10)),
        Duration.ofMillis(Math.round(usageReportIntervalSeconds * 1000)),
        Duration.ofSeconds(shutdownGraceSeconds),
        metricsMaxTenants,
        connectionLimits.limits());
  }

  private String clusterToken() throws Exception {
    String token =
        clusterTokenFile != null
            ? Files.readString(clusterTokenFile, StandardCharsets.UTF_8).strip()
            : environment.getOrDefault("MAAS_CLUSTER_TOKEN", "").strip();
    if (token.isEmpty()) {
      throw parameterError(
          "the cluster token is missing: set MAAS_CLUSTER_TOKEN or --cluster-token-file");
    }
    return token;
  }

  private CommandLine.ParameterException parameterError(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "gateway";
    }
  }

  /** Reads the version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"maas-gateway " + (version == null ? "dev" : version)};
    }
  }
}
