package dev.maas.cli.admin;

import dev.maas.cli.CliCommand;
import dev.maas.cli.output.Printer;
import dev.maas.cli.output.Table;
import dev.maas.sdk.admin.AuditEvent;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code maas audit}. */
@Command(
    name = "audit",
    description = {
      "List audit events, newest first: the tenant's, or with --all every tenant's and the"
          + " platform-wide ones (admin token only)."
    })
public final class AuditCommand extends CliCommand {

  @Option(
      names = "--limit",
      defaultValue = "50",
      description = "At most this many events (default ${DEFAULT-VALUE}, at most 1000).")
  int limit;

  @Option(names = "--all", description = "Every tenant's events (admin token only).")
  boolean all;

  @Override
  protected int run() {
    List<AuditEvent> events = admin().audit().list(all ? null : tenant(), limit);
    printer()
        .print(
            events,
            () -> {
              Table table = Table.of("ID", "TIME", "ACTOR", "TENANT", "ACTION", "TARGET");
              for (AuditEvent e : events) {
                table.row(
                    e.id(), Printer.time(e.time()), e.actor(), e.tenant(), e.action(), e.target());
              }
              return table;
            });
    return 0;
  }
}
