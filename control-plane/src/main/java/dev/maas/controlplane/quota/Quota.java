package dev.maas.controlplane.quota;

/**
 * Limits of a tenant. In overrides a null field follows the platform default; in effective limits
 * every field is set.
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

  /** No overrides: everything follows the platform default. */
  public static Quota none() {
    return new Quota(null, null, null, null, null, null, null, null);
  }

  /** These overrides, with {@code defaults} where a field is null. */
  public Quota over(Quota defaults) {
    return new Quota(
        requestsPerSecond != null ? requestsPerSecond : defaults.requestsPerSecond,
        burst != null ? burst : defaults.burst,
        maxConcurrentRequests != null ? maxConcurrentRequests : defaults.maxConcurrentRequests,
        maxRequestBytes != null ? maxRequestBytes : defaults.maxRequestBytes,
        monthlyRequests != null ? monthlyRequests : defaults.monthlyRequests,
        maxModels != null ? maxModels : defaults.maxModels,
        maxStorageBytes != null ? maxStorageBytes : defaults.maxStorageBytes,
        maxReplicas != null ? maxReplicas : defaults.maxReplicas);
  }
}
