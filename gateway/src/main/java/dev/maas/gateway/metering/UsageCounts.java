package dev.maas.gateway.metering;

/**
 * Usage counted under one {@link UsageKey}.
 *
 * @param requests calls answered
 * @param errors calls that failed
 * @param items items inferred (the gateway does not parse the batch dimension: one per success)
 * @param bytesIn request bytes
 * @param bytesOut response bytes
 * @param computeMillis time from arrival to answer, in milliseconds
 */
public record UsageCounts(
    long requests, long errors, long items, long bytesIn, long bytesOut, long computeMillis) {

  /** Nothing counted. */
  public static final UsageCounts ZERO = new UsageCounts(0, 0, 0, 0, 0, 0);

  /** The sum of both. */
  public UsageCounts plus(UsageCounts other) {
    return new UsageCounts(
        requests + other.requests,
        errors + other.errors,
        items + other.items,
        bytesIn + other.bytesIn,
        bytesOut + other.bytesOut,
        computeMillis + other.computeMillis);
  }
}
