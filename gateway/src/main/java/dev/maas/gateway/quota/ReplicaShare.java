package dev.maas.gateway.quota;

/**
 * This gateway's share of cluster-wide limits when {@code replicas} gateways serve side by side
 * behind a load balancer that spreads calls evenly: rates, bursts and concurrency are divided by
 * the number of replicas (bursts and concurrency rounded up, never below 1).
 *
 * @param replicas how many gateway replicas share the limits; at least 1
 */
public record ReplicaShare(int replicas) {

  public ReplicaShare {
    if (replicas < 1) {
      throw new IllegalArgumentException("replicas must be at least 1, got " + replicas);
    }
  }

  /** This gateway's part of a cluster-wide rate; 0 (no limit) stays 0. */
  public double rate(double clusterRate) {
    return clusterRate <= 0 ? 0 : clusterRate / replicas;
  }

  /** This gateway's part of a cluster-wide count (burst, concurrency); 0 (no limit) stays 0. */
  public long count(long clusterCount) {
    return clusterCount <= 0 ? 0 : Math.max(1, ceilDiv(clusterCount, replicas));
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
