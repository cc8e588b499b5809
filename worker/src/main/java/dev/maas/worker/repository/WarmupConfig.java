package dev.maas.worker.repository;

import java.util.List;

/**
 * Warm-up run on a newly loaded version before it takes traffic: one run of zero-valued inputs per
 * batch size.
 *
 * @param batchSizes batch sizes to run; empty disables warm-up
 */
public record WarmupConfig(List<Integer> batchSizes) {

  public WarmupConfig {
    batchSizes = List.copyOf(batchSizes);
    for (int size : batchSizes) {
      if (size < 1) {
        throw new IllegalArgumentException("warm-up batch sizes must be >= 1, got " + size);
      }
    }
  }

  /** No warm-up. */
  public static WarmupConfig none() {
    return new WarmupConfig(List.of());
  }
}
