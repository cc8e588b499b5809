package dev.maas.cli.admin;

import dev.maas.cli.CliCommand;
import dev.maas.cli.output.Printer;
import dev.maas.cli.output.Table;
import dev.maas.sdk.admin.WorkerInfo;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code maas workers}. */
@Command(name = "workers", description = "List the cluster's workers (admin token only).")
public final class WorkersCommand extends CliCommand {

  @Override
  protected int run() {
    List<WorkerInfo> workers = admin().workers().list();
    printer()
        .print(
            workers,
            () -> {
              Table table =
                  Table.of("ID", "ADDRESS", "DEVICE", "SLOTS", "HEALTHY", "LAST HEARTBEAT");
              for (WorkerInfo w : workers) {
                table.row(
                    w.id(),
                    w.address(),
                    w.device().name().toLowerCase(java.util.Locale.ROOT),
                    w.usedSlots() + "/" + w.slots(),
                    w.healthy() ? "yes" : "no",
                    Printer.time(w.lastHeartbeat()));
              }
              return table;
            });
    return 0;
  }
}
