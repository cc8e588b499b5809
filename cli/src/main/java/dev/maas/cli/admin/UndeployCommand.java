package dev.maas.cli.admin;

import dev.maas.cli.CliCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code maas undeploy MODEL}. */
@Command(
    name = "undeploy",
    description = "Remove a model's deployment: its replicas unload; the model and versions stay.")
public final class UndeployCommand extends CliCommand {

  @Parameters(paramLabel = "MODEL")
  String model;

  @Override
  protected int run() {
    admin().deployments().delete(tenant(), model);
    printer().line("undeployed " + model);
    if (printer().json()) {
      printer().printJson(java.util.Map.of("undeployed", model));
    }
    return 0;
  }
}
