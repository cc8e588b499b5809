package dev.maas.standalone.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;

/**
 * The reliability table: each scenario appends its figures, one row each, to {@code
 * target/reliability/results.md} (a Markdown table) and {@code target/reliability/results.jsonl}
 * (one JSON object a line). {@code scripts/reliability.sh} empties the folder first and prints the
 * table at the end.
 */
final class ResultsTable {

  /** Whether a figure met its target; {@link #INFO} for figures without one. */
  enum Verdict {
    MET,
    MISSED,
    INFO;

    static Verdict of(boolean met) {
      return met ? MET : MISSED;
    }
  }

  static final Path DIRECTORY = Path.of("target", "reliability");
  private static final String HEADER =
      "| scenario | figure | measured | target | met | scale |\n| --- | --- | --- | --- | --- | --- |\n";

  private ResultsTable() {}

  /** Appends one figure of {@code scenario} to both files. */
  static synchronized void row(
      String scenario, String figure, String measured, String target, Verdict verdict) {
    String scale = Scale.current().label();
    String met =
        switch (verdict) {
          case MET -> "yes";
          case MISSED -> "**no**";
          case INFO -> "-";
        };
    try {
      Files.createDirectories(DIRECTORY);
      Path markdown = DIRECTORY.resolve("results.md");
      if (!Files.exists(markdown)) {
        Files.writeString(markdown, HEADER, StandardCharsets.UTF_8);
      }
      append(
          markdown,
          String.join(" | ", "| " + scenario, figure, measured, target, met, scale) + " |\n");
      append(
          DIRECTORY.resolve("results.jsonl"),
          String.format(
              Locale.ROOT,
              "{\"time\":\"%s\",\"scenario\":\"%s\",\"figure\":\"%s\",\"measured\":\"%s\","
                  + "\"target\":\"%s\",\"verdict\":\"%s\",\"scale\":\"%s\"}%n",
              Instant.now(),
              json(scenario),
              json(figure),
              json(measured),
              json(target),
              verdict,
              scale));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the reliability table", e);
    }
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(
        file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static String json(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
