package dev.maas.controlplane.deployment;

import java.time.Instant;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * How a model is served: its default version, optional traffic split, replicas, device, batching
 * and rate limit.
 *
 * @param trafficSplit shares of requests without a version; empty sends them all to {@code
 *     defaultVersion}
 * @param rateLimitRps requests per second for this model; 0 means only the tenant's limit
 * @param updatedAt when it last changed; null in a deployment not yet stored
 */
public record Deployment(
    String tenant,
    String model,
    long defaultVersion,
    List<TrafficSplit> trafficSplit,
    int minReplicas,
    int maxReplicas,
    Device device,
    Batching batching,
    double rateLimitRps,
    Instant updatedAt) {

  public Deployment {
    trafficSplit = List.copyOf(trafficSplit);
  }

  /** Every version this deployment serves: the default and each version of the split. */
  public SortedSet<Long> versions() {
    SortedSet<Long> versions = new TreeSet<>();
    versions.add(defaultVersion);
    trafficSplit.forEach(split -> versions.add(split.version()));
    return versions;
  }
}
