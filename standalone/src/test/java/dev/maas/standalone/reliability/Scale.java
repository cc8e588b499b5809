package dev.maas.standalone.reliability;

import java.time.Duration;
import java.util.Locale;

/**
 * How big the long reliability scenarios run, from the system property {@code
 * maas.reliability.scale}: {@code short} (the default, in the normal build, so the scenarios cannot
 * rot) or {@code full} (the figures of docs/reliability-long.md, from {@code
 * scripts/reliability.sh}).
 */
enum Scale {
  SHORT,
  FULL;

  static final String PROPERTY = "maas.reliability.scale";

  /** The scale this run was asked for. */
  static Scale current() {
    String value = System.getProperty(PROPERTY, "short").trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "short", "" -> SHORT;
      case "full" -> FULL;
      default ->
          throw new IllegalArgumentException(
              "-D" + PROPERTY + "=" + value + " is neither 'short' nor 'full'");
    };
  }

  int pick(int shortValue, int fullValue) {
    return this == FULL ? fullValue : shortValue;
  }

  Duration pick(Duration shortValue, Duration fullValue) {
    return this == FULL ? fullValue : shortValue;
  }

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
