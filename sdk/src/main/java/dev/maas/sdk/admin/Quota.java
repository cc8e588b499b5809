package dev.maas.sdk.admin;

/**
 * Limits of a tenant. A null field is unset: in {@link Quotas#set} it follows the platform default;
 * in an answer's limits in force every field is set.
 *
 * @param requestsPerSecond sustained inference requests per second (token bucket rate)
 * @param burst requests that may come at once above the rate (token bucket size)
 * @param maxConcurrentRequests inference requests in flight at once
 * @param maxRequestBytes largest inference request in bytes
 * @param monthlyRequests inference requests per calendar month (UTC)
 * @param maxModels models the tenant may have
 * @param maxStorageBytes bytes of model artifacts the tenant may store
 * @param maxReplicas replicas the tenant's deployments may use in all
 */
public record Quota(
    Double requestsPerSecond,
    Long burst,
    Long maxConcurrentRequests,
    Long maxRequestBytes,
    Long monthlyRequests,
    Long maxModels,
    Long maxStorageBytes,
    Long maxReplicas) {

  /** A quota with every field unset. */
  public static Quota unset() {
    return new Quota(null, null, null, null, null, null, null, null);
  }

  /** This quota with the fields {@code changes} sets replacing this one's. */
  public Quota overriddenBy(Quota changes) {
    return new Quota(
        pick(changes.requestsPerSecond, requestsPerSecond),
        pick(changes.burst, burst),
        pick(changes.maxConcurrentRequests, maxConcurrentRequests),
        pick(changes.maxRequestBytes, maxRequestBytes),
        pick(changes.monthlyRequests, monthlyRequests),
        pick(changes.maxModels, maxModels),
        pick(changes.maxStorageBytes, maxStorageBytes),
        pick(changes.maxReplicas, maxReplicas));
  }

  private static <T> T pick(T preferred, T fallback) {
    return preferred != null ? preferred : fallback;
  }
}
