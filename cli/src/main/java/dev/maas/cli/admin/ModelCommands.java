package dev.maas.cli.admin;

import dev.maas.cli.CliCommand;
import dev.maas.cli.output.Printer;
import dev.maas.cli.output.Table;
import dev.maas.sdk.TensorSpec;
import dev.maas.sdk.admin.Deployment;
import dev.maas.sdk.admin.Model;
import dev.maas.sdk.admin.ModelDetails;
import dev.maas.sdk.admin.ModelSignature;
import dev.maas.sdk.admin.ModelVersion;
import dev.maas.sdk.admin.VersionState;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code maas model create|list|describe|upload|delete}. */
@Command(
    name = "model",
    description = "Manage a tenant's models and upload SavedModels.",
    mixinStandardHelpOptions = true,
    subcommands = {
      ModelCommands.Create.class,
      ModelCommands.ListModels.class,
      ModelCommands.Describe.class,
      UploadCommand.class,
      ModelCommands.Delete.class
    })
public final class ModelCommands {

  private ModelCommands() {}

  private static Table table(List<Model> models) {
    Table table = Table.of("NAME", "DESCRIPTION", "CREATED");
    for (Model m : models) {
      table.row(m.name(), m.description(), Printer.time(m.createTime()));
    }
    return table;
  }

  /** {@code maas model create NAME}. */
  @Command(name = "create", description = "Create a model.")
  static final class Create extends CliCommand {
    @Parameters(paramLabel = "NAME", description = "Letters, digits, '_', '-' and '.'.")
    String name;

    @Option(names = "--description", description = "Free text for people.")
    String description;

    @Override
    protected int run() {
      Model model = admin().models().create(tenant(), name, description);
      printer().print(model, () -> table(List.of(model)));
      return 0;
    }
  }

  /** {@code maas model list}. */
  @Command(name = "list", description = "List a tenant's models.")
  static final class ListModels extends CliCommand {
    @Override
    protected int run() {
      List<Model> models = admin().models().list(tenant());
      printer().print(models, () -> table(models));
      return 0;
    }
  }

  /** {@code maas model describe NAME}. */
  @Command(
      name = "describe",
      description =
          "Show a model: versions, deployment and the signature of the newest READY version.")
  static final class Describe extends CliCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    protected int run() {
      ModelDetails details = admin().models().get(tenant(), name);
      if (printer().json()) {
        printer().printJson(details);
        return 0;
      }
      Model model = details.model();
      out().println("model:       " + model.name() + " (tenant " + model.tenant() + ")");
      out().println("description: " + (model.description().isEmpty() ? "-" : model.description()));
      out().println("created:     " + Printer.time(model.createTime()));
      out()
          .println(
              "deployment:  " + details.findDeployment().map(Describe::summary).orElse("none"));
      details
          .findDeployment()
          .filter(d -> !d.replicas().isEmpty())
          .ifPresent(
              d -> {
                out().println();
                out().println("replicas:");
                DeployCommand.replicaTable(d.replicas()).print(out());
              });
      out().println();
      VersionCommands.table(details.versions()).print(out());
      details.versions().stream()
          .filter(v -> v.state() == VersionState.READY)
          .reduce((first, second) -> second)
          .ifPresent(this::printSignatures);
      out().flush();
      return 0;
    }

    private void printSignatures(ModelVersion version) {
      for (ModelSignature signature : version.signatures()) {
        out().println();
        out().println("signature " + signature.name() + " (version " + version.version() + "):");
        Table table = Table.of("", "NAME", "DATATYPE", "SHAPE");
        for (TensorSpec input : signature.inputs()) {
          table.row("input", input.name(), input.datatype(), input.shape());
        }
        for (TensorSpec output : signature.outputs()) {
          table.row("output", output.name(), output.datatype(), output.shape());
        }
        table.print(out());
      }
    }

    private static String summary(Deployment d) {
      String split =
          d.trafficSplit().isEmpty()
              ? ""
              : ", split "
                  + d.trafficSplit().stream()
                      .map(s -> "v" + s.version() + "=" + s.percent() + "%")
                      .collect(Collectors.joining(","));
      return "version "
          + d.defaultVersion()
          + split
          + ", "
          + d.minReplicas()
          + "-"
          + d.maxReplicas()
          + " replicas on "
          + d.device().name().toLowerCase(java.util.Locale.ROOT)
          + (d.batching().maxBatchSize() > 0
              ? ", batches of up to " + d.batching().maxBatchSize()
              : ", no batching");
    }
  }

  /** {@code maas model delete NAME}. */
  @Command(name = "delete", description = "Delete a model and its versions (undeploy it first).")
  static final class Delete extends CliCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    protected int run() {
      admin().models().delete(tenant(), name);
      printer().line("deleted model " + name);
      if (printer().json()) {
        printer().printJson(java.util.Map.of("deleted", name));
      }
      return 0;
    }
  }
}
