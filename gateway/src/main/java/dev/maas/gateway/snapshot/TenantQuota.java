package dev.maas.gateway.snapshot;

/**
 * The limits the gateway enforces for one tenant, for the whole cluster (before a gateway takes its
 * share). A value of zero or less means "no limit".
 *
 * @param requestsPerSecond sustained requests per second
 * @param burst token bucket size
 * @param maxConcurrentRequests requests in flight at once
 * @param maxRequestBytes largest request message in bytes
 * @param monthlyRequests requests per calendar month (UTC)
 * @param monthlyRequestsUsed requests used this month as the control plane counted them
 */
public record TenantQuota(
    double requestsPerSecond,
    long burst,
    long maxConcurrentRequests,
    long maxRequestBytes,
    long monthlyRequests,
    long monthlyRequestsUsed) {

  /** No limits at all. */
  public static TenantQuota unlimited() {
    return new TenantQuota(0, 0, 0, 0, 0, 0);
  }
}
