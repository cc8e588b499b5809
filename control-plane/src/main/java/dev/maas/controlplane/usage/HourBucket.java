package dev.maas.controlplane.usage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;

/** The row of usage_hourly that an entry adds to; ordered as the primary key. */
record HourBucket(String tenant, String model, long version, Instant hour)
    implements Comparable<HourBucket> {

  private static final Comparator<HourBucket> ORDER =
      Comparator.comparing(HourBucket::tenant)
          .thenComparing(HourBucket::model)
          .thenComparingLong(HourBucket::version)
          .thenComparing(HourBucket::hour);

  /** The bucket of {@code entry}: its time truncated to the hour (UTC). */
  static HourBucket of(UsageEntry entry) {
    return new HourBucket(
        entry.tenant(), entry.model(), entry.version(), entry.at().truncatedTo(ChronoUnit.HOURS));
  }

  @Override
  public int compareTo(HourBucket other) {
    return ORDER.compare(this, other);
  }
}
