package dev.maas.controlplane.cluster;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A deployment as the cluster sees it: which versions must serve, where and how.
 *
 * @param split percent of unversioned requests per version; empty sends all to the default
 * @param configJson the worker's config.json for the model's replicas
 */
record DeployedModel(
    long modelId,
    String tenant,
    String name,
    long defaultVersion,
    Map<Long, Integer> split,
    int minReplicas,
    String device,
    double rateLimitRps,
    String configJson) {

  /** Versions that must have replicas: the default and every version with a share of traffic. */
  Set<Long> wantedVersions() {
    Set<Long> versions = new TreeSet<>();
    versions.add(defaultVersion);
    split.forEach(
        (version, percent) -> {
          if (percent > 0) {
            versions.add(version);
          }
        });
    return versions;
  }

  /** The name a worker serves one version under: short, opaque, unique in the cluster. */
  static String modelIdOf(long modelId, long version) {
    return "m" + modelId + "-v" + version;
  }
}
