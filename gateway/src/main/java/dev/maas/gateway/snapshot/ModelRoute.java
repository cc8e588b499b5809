package dev.maas.gateway.snapshot;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A deployed model of one tenant as the gateway routes it.
 *
 * @param tenant the owning tenant
 * @param name the model's name inside the tenant
 * @param defaultVersion where requests without a version go when {@code split} is empty
 * @param split share of requests without a version per version, in percent; may be empty
 * @param rateLimitRps requests per second for this model across the cluster; 0 means none
 * @param versions the versions that can serve, by version number
 */
public record ModelRoute(
    String tenant,
    String name,
    long defaultVersion,
    Map<Long, Integer> split,
    double rateLimitRps,
    SortedMap<Long, VersionRoute> versions) {

  public ModelRoute {
    split = Map.copyOf(split);
    versions = Collections.unmodifiableSortedMap(new TreeMap<>(versions));
  }

  /** The route of one version, if the snapshot lists it. */
  public Optional<VersionRoute> version(long version) {
    return Optional.ofNullable(versions.get(version));
  }
}
