package dev.maas.cli;

import dev.maas.cli.admin.AuditCommand;
import dev.maas.cli.admin.DeployCommand;
import dev.maas.cli.admin.KeyCommands;
import dev.maas.cli.admin.ModelCommands;
import dev.maas.cli.admin.QuotaCommands;
import dev.maas.cli.admin.TenantCommands;
import dev.maas.cli.admin.UndeployCommand;
import dev.maas.cli.admin.UsageCommand;
import dev.maas.cli.admin.VersionCommands;
import dev.maas.cli.admin.WorkersCommand;
import dev.maas.cli.config.LoginCommand;
import dev.maas.cli.infer.InferCommand;
import dev.maas.cli.perf.PerfCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code maas} command line: administers a maas platform and calls its models. */
@Command(
    name = "maas",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    subcommands = {
      LoginCommand.class,
      TenantCommands.class,
      KeyCommands.class,
      QuotaCommands.class,
      ModelCommands.class,
      VersionCommands.class,
      DeployCommand.class,
      UndeployCommand.class,
      InferCommand.class,
      PerfCommand.class,
      UsageCommand.class,
      WorkersCommand.class,
      AuditCommand.class,
      CommandLine.HelpCommand.class
    },
    description = {
      "Administers a maas platform (tenants, keys, quotas, models, uploads, deployments) and"
          + " calls its models.",
      "Endpoint and credentials come from flags, MAAS_* variables (MAAS_ENDPOINT, MAAS_TOKEN,"
          + " MAAS_GATEWAY, MAAS_API_KEY, MAAS_TENANT) or the profile 'maas login' writes.",
      "Exit codes: 0 success; 1-16 the gRPC status of a failed call (5 NOT_FOUND, 7"
          + " PERMISSION_DENIED, 8 RESOURCE_EXHAUSTED, 16 UNAUTHENTICATED, ...); 3 also for an"
          + " upload that ended FAILED; 64 bad command line; 65 bad local input; 70 CLI bug."
    })
public final class Main implements Runnable {

  private final CliEnvironment environment;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The root command in {@code environment}. */
  public Main(CliEnvironment environment) {
    this.environment = environment;
  }

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(commandLine(CliEnvironment.ofSystem()).execute(args));
  }

  /** The parser and executor, with the CLI's error reporting. */
  public static CommandLine commandLine(CliEnvironment environment) {
    ErrorReporter errors = new ErrorReporter();
    return new CommandLine(new Main(environment))
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(errors)
        .setParameterExceptionHandler(errors);
  }

  /** The CLI's surroundings. */
  CliEnvironment environment() {
    return environment;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command");
  }

  /** Reads the version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"maas " + (version == null ? "dev" : version)};
    }
  }
}
