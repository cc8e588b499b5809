package dev.maas.controlplane.auth;

import dev.maas.controlplane.problem.Problem;

/**
 * Authorization rules of the admin API: the admin may do everything; a {@code manage} key only
 * within its tenant. Another tenant's resources are answered as missing ones, so a key learns
 * nothing about other tenants.
 */
public final class Access {

  private Access() {}

  /**
   * Refuses callers other than the platform admin.
   *
   * @throws Problem PERMISSION_DENIED
   */
  public static void requireAdmin(Principal principal, String what) {
    if (!(principal instanceof Principal.Admin)) {
      throw Problem.permissionDenied("only the platform admin token may " + what);
    }
  }

  /**
   * Refuses callers outside {@code tenant}.
   *
   * @throws Problem NOT_FOUND, worded as for a missing tenant
   */
  public static void requireTenant(Principal principal, String tenant) {
    if (principal instanceof Principal.TenantKey key && !key.tenant().equals(tenant)) {
      throw Problem.notFound(tenantNotFound(tenant));
    }
  }

  /** The one message for a missing, or someone else's, tenant. */
  public static String tenantNotFound(String tenant) {
    return "tenant '" + tenant + "' not found";
  }
}
