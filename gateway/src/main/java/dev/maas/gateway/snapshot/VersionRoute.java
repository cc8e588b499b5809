package dev.maas.gateway.snapshot;

import java.util.List;

/**
 * One version of a model and where it serves.
 *
 * @param version the version number tenants see
 * @param modelId the internal name workers serve it under (sent as {@code maas-model-id})
 * @param addresses host:port of each worker serving it now; may be empty
 */
public record VersionRoute(long version, String modelId, List<String> addresses) {

  public VersionRoute {
    addresses = List.copyOf(addresses);
  }

  /** Whether at least one worker serves this version. */
  public boolean isServing() {
    return !addresses.isEmpty();
  }
}
