package dev.maas.cli.admin;

import dev.maas.cli.CliCommand;
import dev.maas.cli.Durations;
import dev.maas.cli.output.Printer;
import dev.maas.cli.output.Table;
import dev.maas.sdk.admin.UsageRecord;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code maas usage}. */
@Command(name = "usage", description = "Show a tenant's usage per model, version and hour (UTC).")
public final class UsageCommand extends CliCommand {

  @Option(names = "--model", description = "Only this model.")
  String model;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      defaultValue = "24h",
      description = "Start: a duration back from now (24h, 7d) or an ISO instant (default 24h).")
  String since;

  @Option(
      names = "--until",
      paramLabel = "WHEN",
      description = "End: an ISO instant (default now). At most 31 days after the start.")
  String until;

  @Override
  protected int run() {
    Instant now = Instant.now();
    Instant end = until == null ? null : Durations.instant(until, now);
    Instant start = Durations.instant(since, end == null ? now : end);
    List<UsageRecord> records = admin().usage().get(tenant(), model, start, end);
    printer()
        .print(
            records,
            () -> {
              Table table =
                  Table.of(
                      "HOUR",
                      "MODEL",
                      "VERSION",
                      "REQUESTS",
                      "ERRORS",
                      "ITEMS",
                      "BYTES IN",
                      "BYTES OUT",
                      "COMPUTE MS");
              for (UsageRecord r : records) {
                table.row(
                    Printer.time(r.hour()),
                    r.model(),
                    r.version(),
                    r.requests(),
                    r.errors(),
                    r.items(),
                    r.bytesIn(),
                    r.bytesOut(),
                    r.computeMs());
              }
              return table;
            });
    if (records.isEmpty()) {
      err().println("no usage in that period (usage arrives a few seconds after the requests)");
      err().flush();
    }
    return 0;
  }
}
