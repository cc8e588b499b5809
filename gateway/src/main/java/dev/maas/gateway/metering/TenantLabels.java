package dev.maas.gateway.metering;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the {@code tenant} label of metrics bounded: the first {@code max} tenants seen get their
 * own label value, every later one shares {@value #OTHER}. Thread-safe.
 */
final class TenantLabels {

  static final String OTHER = "_other";

  private final int max;
  private final Set<String> labelled = ConcurrentHashMap.newKeySet();

  TenantLabels(int max) {
    this.max = max;
  }

  /** The label value for {@code tenant}. */
  String of(String tenant) {
    if (labelled.contains(tenant)) {
      return tenant;
    }
    synchronized (this) {
      if (labelled.size() < max) {
        labelled.add(tenant);
        return tenant;
      }
    }
    return OTHER;
  }
}
