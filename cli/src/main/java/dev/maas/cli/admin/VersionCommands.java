package dev.maas.cli.admin;

import dev.maas.cli.CliCommand;
import dev.maas.cli.output.Printer;
import dev.maas.cli.output.Table;
import dev.maas.sdk.admin.ModelVersion;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code maas version list|retire}. */
@Command(
    name = "version",
    description = "List or retire a model's versions.",
    mixinStandardHelpOptions = true,
    subcommands = {VersionCommands.ListVersions.class, VersionCommands.Retire.class})
public final class VersionCommands {

  private VersionCommands() {}

  static Table table(List<ModelVersion> versions) {
    Table table = Table.of("VERSION", "STATE", "SIZE", "SHA256", "CREATED", "REASON");
    for (ModelVersion v : versions) {
      table.row(
          v.version(),
          v.state(),
          Printer.bytes(v.sizeBytes()),
          v.sha256().length() > 12 ? v.sha256().substring(0, 12) : v.sha256(),
          Printer.time(v.createTime()),
          v.reason());
    }
    return table;
  }

  /** {@code maas version list MODEL}. */
  @Command(name = "list", description = "List a model's versions.")
  static final class ListVersions extends CliCommand {
    @Parameters(paramLabel = "MODEL")
    String model;

    @Override
    protected int run() {
      List<ModelVersion> versions = admin().models().listVersions(tenant(), model);
      printer().print(versions, () -> table(versions));
      return 0;
    }
  }

  /** {@code maas version retire MODEL VERSION}. */
  @Command(name = "retire", description = "Retire a READY version: it can no longer be deployed.")
  static final class Retire extends CliCommand {
    @Parameters(index = "0", paramLabel = "MODEL")
    String model;

    @Parameters(index = "1", paramLabel = "VERSION")
    long version;

    @Override
    protected int run() {
      ModelVersion retired = admin().models().retireVersion(tenant(), model, version);
      printer().print(retired, () -> table(List.of(retired)));
      return 0;
    }
  }
}
