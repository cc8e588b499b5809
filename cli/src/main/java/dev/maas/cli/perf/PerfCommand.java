package dev.maas.cli.perf;

import dev.maas.cli.CliCommand;
import dev.maas.cli.CliException;
import dev.maas.cli.Durations;
import dev.maas.cli.ExitCodes;
import dev.maas.cli.infer.InputSpec;
import dev.maas.cli.infer.RandomInputs;
import dev.maas.cli.output.Table;
import dev.maas.sdk.InferRequest;
import dev.maas.sdk.ModelMetadata;
import dev.maas.sdk.perf.ConcurrencySchedule;
import dev.maas.sdk.perf.LevelResult;
import dev.maas.sdk.perf.LoadGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code maas perf MODEL --concurrency 1:64:x2 --duration 10s}. */
@Command(
    name = "perf",
    description = {
      "Load-test a model through the gateway, as Triton's perf_analyzer does: for each"
          + " concurrency level, a warm-up, then a measured window of calls kept in flight;"
          + " prints throughput and p50/p90/p99 latency (HdrHistogram) per level.",
      "Inputs as for 'maas infer'; without --input, random inputs of the model's shapes"
          + " (batch 1) are sent. The tenant's rate quota limits what can be reached."
    })
public final class PerfCommand extends CliCommand {

  @Parameters(paramLabel = "MODEL")
  String model;

  @Option(
      names = {"-i", "--input"},
      paramLabel = "NAME=SOURCE",
      converter = InputSpec.Converter.class,
      description = "An input, as for 'maas infer'; random inputs when none is given.")
  List<InputSpec> inputs = List.of();

  @Option(names = "--version", paramLabel = "V", description = "Run this version.")
  String version;

  @Option(
      names = "--concurrency",
      defaultValue = "1",
      paramLabel = "START:END:STEP",
      description =
          "Levels: 1:64:x2 doubles, 4:16:4 adds, 8 is one level (default ${DEFAULT-VALUE}).")
  String concurrency;

  @Option(
      names = "--duration",
      defaultValue = "10s",
      converter = Durations.Converter.class,
      description = "Measured window per level (default ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(
      names = "--warmup",
      defaultValue = "2s",
      converter = Durations.Converter.class,
      description = "Unmeasured warm-up before each level (default ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(names = "--csv", description = "Print CSV instead of a table.")
  boolean csv;

  @Override
  protected int run() throws InterruptedException {
    ConcurrencySchedule schedule = ConcurrencySchedule.parse(concurrency);
    ModelMetadata metadata = inference().modelMetadata(model, version);
    InferRequest.Builder builder =
        InferRequest.builder(model)
            .inputs(
                inputs.isEmpty()
                    ? RandomInputs.of(metadata)
                    : InputSpec.tensors(inputs, metadata, false));
    if (version != null) {
      builder.version(version);
    }
    InferRequest request = builder.timeout(settings().timeout()).build();
    // One call first: a request the model refuses fails here, with its code, not as a flood.
    inference().infer(request);
    LoadGenerator generator = new LoadGenerator(inference(), request);
    List<LevelReport> reports = new ArrayList<>();
    for (int level : schedule.levels()) {
      err()
          .printf(
              Locale.ROOT,
              "concurrency %d: warming up %s, measuring %s%n",
              level,
              warmup,
              duration);
      err().flush();
      LatencyHistogram latencies = new LatencyHistogram();
      LevelResult result = generator.run(level, warmup, duration, latencies);
      reports.add(LevelReport.of(result, latencies.snapshot()));
      if (result.errors() > 0) {
        err()
            .println(
                "  "
                    + result.errors()
                    + " failed calls "
                    + result.errorsByCode()
                    + ": "
                    + result.firstError());
        err().flush();
      }
    }
    print(reports);
    if (reports.stream().allMatch(r -> r.successes() == 0)) {
      String code =
          reports.stream()
              .flatMap(r -> r.errorsByCode().keySet().stream())
              .findFirst()
              .orElse("UNAVAILABLE");
      throw new CliException(exitCodeOf(code), "no call succeeded (" + code + ")");
    }
    return 0;
  }

  private static int exitCodeOf(String code) {
    try {
      return ExitCodes.of(io.grpc.Status.Code.valueOf(code));
    } catch (IllegalArgumentException e) {
      return ExitCodes.SOFTWARE;
    }
  }

  private void print(List<LevelReport> reports) {
    if (printer().json()) {
      printer().printJson(reports);
      return;
    }
    if (csv) {
      out().println("concurrency,throughput_per_s,p50_ms,p90_ms,p99_ms,successes,errors");
      for (LevelReport r : reports) {
        out()
            .printf(
                Locale.ROOT,
                "%d,%.2f,%.3f,%.3f,%.3f,%d,%d%n",
                r.concurrency(),
                r.throughput(),
                r.p50Ms(),
                r.p90Ms(),
                r.p99Ms(),
                r.successes(),
                r.errors());
      }
      out().flush();
      return;
    }
    Table table = Table.of("CONCURRENCY", "THROUGHPUT/S", "P50 MS", "P90 MS", "P99 MS", "ERRORS");
    for (LevelReport r : reports) {
      table.row(
          r.concurrency(),
          String.format(Locale.ROOT, "%.1f", r.throughput()),
          String.format(Locale.ROOT, "%.3f", r.p50Ms()),
          String.format(Locale.ROOT, "%.3f", r.p90Ms()),
          String.format(Locale.ROOT, "%.3f", r.p99Ms()),
          r.errors());
    }
    table.print(out());
  }
}
