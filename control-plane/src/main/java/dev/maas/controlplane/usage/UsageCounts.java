package dev.maas.controlplane.usage;

import dev.maas.controlplane.problem.Problem;

/**
 * What was served: requests, failures, items, bytes and serving time.
 *
 * @param items the sum of the requests' batch sizes
 * @param bytesIn request bytes received
 * @param bytesOut response bytes sent
 * @param computeMs time spent serving, in milliseconds
 */
public record UsageCounts(
    long requests, long errors, long items, long bytesIn, long bytesOut, long computeMs) {

  /** Nothing served. */
  public static final UsageCounts ZERO = new UsageCounts(0, 0, 0, 0, 0, 0);

  /**
   * Checks that no count is negative.
   *
   * @throws Problem INVALID_ARGUMENT
   */
  public UsageCounts {
    if (requests < 0 || errors < 0 || items < 0 || bytesIn < 0 || bytesOut < 0 || computeMs < 0) {
      throw Problem.invalid(
          "usage counts must not be negative: requests="
              + requests
              + " errors="
              + errors
              + " items="
              + items
              + " bytes_in="
              + bytesIn
              + " bytes_out="
              + bytesOut
              + " compute_ms="
              + computeMs);
    }
  }

  /** These counts and {@code other}'s, added up. */
  public UsageCounts plus(UsageCounts other) {
    return new UsageCounts(
        requests + other.requests,
        errors + other.errors,
        items + other.items,
        bytesIn + other.bytesIn,
        bytesOut + other.bytesOut,
        computeMs + other.computeMs);
  }
}
