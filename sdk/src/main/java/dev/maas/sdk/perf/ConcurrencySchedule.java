package dev.maas.sdk.perf;

import java.util.ArrayList;
import java.util.List;

/**
 * The concurrency levels a load test steps through, parsed from {@code START:END:STEP} as Triton's
 * perf_analyzer takes them: {@code 1:64:x2} is 1, 2, 4, ... 64 (multiplying), {@code 4:16:4} is 4,
 * 8, 12, 16 (adding), {@code 1:4} steps by 1; a single number is one level, and {@code 1,8,32}
 * lists levels.
 *
 * @param levels the levels, in the order they run
 */
public record ConcurrencySchedule(List<Integer> levels) {

  /** Checks and copies the levels. */
  public ConcurrencySchedule {
    levels = List.copyOf(levels);
    if (levels.isEmpty()) {
      throw new IllegalArgumentException("no concurrency level");
    }
    for (int level : levels) {
      if (level < 1) {
        throw new IllegalArgumentException("a concurrency level must be at least 1, got " + level);
      }
    }
  }

  /**
   * The schedule {@code text} describes.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static ConcurrencySchedule parse(String text) {
    String spec = text.strip();
    if (spec.contains(",")) {
      List<Integer> levels = new ArrayList<>();
      for (String part : spec.split(",")) {
        levels.add(number(part, text));
      }
      return new ConcurrencySchedule(levels);
    }
    String[] parts = spec.split(":", -1);
    if (parts.length == 1) {
      return new ConcurrencySchedule(List.of(number(parts[0], text)));
    }
    if (parts.length > 3) {
      throw new IllegalArgumentException(
          "'" + text + "' is not START:END:STEP (such as 1:64:x2 or 4:16:4)");
    }
    int start = number(parts[0], text);
    int end = number(parts[1], text);
    if (end < start) {
      throw new IllegalArgumentException("'" + text + "' ends below its start");
    }
    String step = parts.length == 3 ? parts[2].strip() : "1";
    boolean multiply = step.startsWith("x") || step.startsWith("*");
    int by = number(multiply || step.startsWith("+") ? step.substring(1) : step, text);
    if (by < (multiply ? 2 : 1)) {
      throw new IllegalArgumentException(
          "'" + text + "' has a step that never gets to the end: " + step);
    }
    List<Integer> levels = new ArrayList<>();
    for (long level = start; level <= end; level = multiply ? level * by : level + by) {
      levels.add((int) level);
    }
    return new ConcurrencySchedule(levels);
  }

  private static int number(String part, String text) {
    try {
      return Integer.parseInt(part.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a concurrency range: '" + part.strip() + "' is no number", e);
    }
  }
}
