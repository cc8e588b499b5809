package dev.maas.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of a run: the conditions it ran under, every point and every ratio, as a markdown
 * table and as JSON.
 *
 * @param conditions machine, threads, flags, batching and measurement settings
 * @param arms the measured points in the order they ran
 * @param ratios G1 to G6 per model
 */
record Report(Map<String, Object> conditions, List<ArmResult> arms, List<Ratio> ratios) {

  Report {
    conditions = new LinkedHashMap<>(conditions);
    arms = List.copyOf(arms);
    ratios = List.copyOf(ratios);
  }

  /** Writes the JSON to {@code file}, creating its directory. */
  void writeJson(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
  }

  /** Prints the conditions, the table of points and the table of ratios as markdown. */
  void printMarkdown(PrintStream out) {
    out.println("## Conditions");
    out.println();
    conditions.forEach((name, value) -> out.println("- " + name + ": " + value));
    out.println();
    out.println("## Points");
    out.println();
    out.println(
        "| model | arm | batch | concurrency | samples/s | requests/s | p50 µs | p90 µs | p99 µs"
            + " | windows | CPU cores client / gateway / worker | CPU µs per request client /"
            + " gateway / worker | errors |");
    out.println(
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | ---:"
            + " |");
    for (ArmResult r : arms) {
      out.println(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %d | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %d%s | %s | %s | %d |",
              r.model(),
              r.arm(),
              r.batch(),
              r.concurrency(),
              r.samplesPerSecond(),
              r.requestsPerSecond(),
              r.p50Micros(),
              r.p90Micros(),
              r.p99Micros(),
              r.windows(),
              r.stable() ? "" : " unstable",
              perProcess(r.cpuCores(), "%.2f"),
              perProcess(r.cpuMicrosPerRequest(), "%.0f"),
              r.errors()));
    }
    out.println();
    out.println("## Targets");
    out.println();
    out.println("| # | model | ratio | value | target | met |");
    out.println("| --- | --- | --- | ---: | --- | --- |");
    for (Ratio g : ratios) {
      out.println(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %s | %s |",
              g.id(),
              g.model(),
              g.definition() + (g.note().isEmpty() ? "" : " (" + g.note() + ")"),
              Double.isNaN(g.value()) ? "n/a" : String.format(Locale.ROOT, "%.2f", g.value()),
              g.target(),
              Double.isNaN(g.value()) ? "not measured" : g.met() ? "met" : "missed"));
    }
  }

  private static String perProcess(Map<String, Double> values, String format) {
    return String.format(
        Locale.ROOT,
        format + " / " + format + " / " + format,
        values.getOrDefault("client", 0.0),
        values.getOrDefault("gateway", 0.0),
        values.getOrDefault("worker", 0.0));
  }
}
