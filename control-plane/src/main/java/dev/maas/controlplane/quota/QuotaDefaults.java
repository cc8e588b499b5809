package dev.maas.controlplane.quota;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Platform-wide default limits, under {@code maas.quota.*} (environment: {@code
 * MAAS_QUOTA_REQUESTS_PER_SECOND} and so on).
 */
@ConfigurationProperties("maas.quota")
public record QuotaDefaults(
    @Bindable(defaultValue = "100") double requestsPerSecond,
    @Bindable(defaultValue = "200") long burst,
    @Bindable(defaultValue = "64") long maxConcurrentRequests,
    @Bindable(defaultValue = "67108864") long maxRequestBytes,
    @Bindable(defaultValue = "10000000") long monthlyRequests,
    @Bindable(defaultValue = "50") long maxModels,
    @Bindable(defaultValue = "10737418240") long maxStorageBytes,
    @Bindable(defaultValue = "16") long maxReplicas) {

  /** The defaults as a quota with every field set. */
  public Quota asQuota() {
    return new Quota(
        requestsPerSecond,
        burst,
        maxConcurrentRequests,
        maxRequestBytes,
        monthlyRequests,
        maxModels,
        maxStorageBytes,
        maxReplicas);
  }
}
