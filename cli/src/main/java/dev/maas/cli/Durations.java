package dev.maas.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as people write them: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, {@code
 * 30d}.
 */
public final class Durations {

  private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");

  private Durations() {}

  /**
   * The duration {@code text} names.
   *
   * @throws IllegalArgumentException when it is not a number with a unit
   */
  public static Duration parse(String text) {
    Matcher matcher = FORMAT.matcher(text.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration such as 500ms, 10s, 2m, 1h or 30d");
    }
    double amount = Double.parseDouble(matcher.group(1));
    double millis =
        switch (matcher.group(2)) {
          case "ms" -> amount;
          case "s" -> amount * 1_000;
          case "m" -> amount * 60_000;
          case "h" -> amount * 3_600_000;
          default -> amount * 86_400_000;
        };
    return Duration.ofNanos(Math.round(millis * 1_000_000));
  }

  /**
   * An instant given as ISO-8601 ({@code 2024-03-01T00:00:00Z}) or as a duration before {@code
   * reference} ({@code 24h}).
   *
   * @throws IllegalArgumentException when it is neither
   */
  public static java.time.Instant instant(String text, java.time.Instant reference) {
    try {
      return java.time.Instant.parse(text.strip());
    } catch (java.time.format.DateTimeParseException e) {
      try {
        return reference.minus(parse(text));
      } catch (IllegalArgumentException notADuration) {
        throw new IllegalArgumentException(
            "'" + text + "' is neither an ISO instant (2024-03-01T00:00:00Z) nor a duration (24h)",
            e);
      }
    }
  }

  /** Picocli's converter for duration options. */
  public static final class Converter implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return parse(value);
    }
  }
}
