package dev.maas.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.maas.cli.config.GlobalOptions.OutputFormat;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Prints a command's result as a table for people or as JSON for scripts ({@code --output json}),
 * to the command's standard output.
 */
public final class Printer {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private final PrintWriter out;
  private final OutputFormat format;

  /** A printer writing to {@code out} in {@code format}. */
  public Printer(PrintWriter out, OutputFormat format) {
    this.out = out;
    this.format = format;
  }

  /** Whether results go out as JSON. */
  public boolean json() {
    return format == OutputFormat.JSON;
  }

  /** Prints {@code value} as JSON, or the table {@code table} makes. */
  public void print(Object value, java.util.function.Supplier<Table> table) {
    if (json()) {
      printJson(value);
    } else {
      table.get().print(out);
    }
  }

  /** Prints {@code value} as JSON, whatever the format. */
  public void printJson(Object value) {
    try {
      out.println(JSON.writeValueAsString(value));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** Prints a line of text (table format only; JSON output prints JSON alone). */
  public void line(String text) {
    if (!json()) {
      out.println(text);
      out.flush();
    }
  }

  /** An instant as tables show it: UTC, to the second; "-" for none. */
  public static String time(Instant instant) {
    return instant == null ? "-" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** A byte count as people read it: 1.5 MiB. */
  public static String bytes(long count) {
    if (count < 1024) {
      return count + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = count;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
