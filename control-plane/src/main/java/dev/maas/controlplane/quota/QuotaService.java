package dev.maas.controlplane.quota;

import dev.maas.controlplane.audit.AuditLog;
import dev.maas.controlplane.auth.Access;
import dev.maas.controlplane.auth.Principal;
import dev.maas.controlplane.db.Database;
import dev.maas.controlplane.problem.Problem;
import dev.maas.controlplane.tenant.TenantRepository;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;

/** Reads and sets tenants' quotas over the platform defaults. */
@Singleton
public final class QuotaService {

  private final Database database;
  private final QuotaDefaults defaults;

  public QuotaService(Database database, QuotaDefaults defaults) {
    this.database = database;
    this.defaults = defaults;
  }

  /** The tenant's own overrides and the limits in force. */
  public Limits get(Principal caller, String tenant) {
    Access.requireTenant(caller, tenant);
    return database.transaction(
        connection -> {
          requireTenant(connection, tenant);
          Quota overrides = QuotaRepository.overrides(connection, tenant);
          return new Limits(overrides, overrides.over(defaults.asQuota()));
        });
  }

  /** Replaces the tenant's overrides; returns the limits in force afterwards. */
  public Limits set(Principal caller, String tenant, Quota overrides) {
    Access.requireAdmin(caller, "set quotas");
    validate(overrides);
    return database.transaction(
        connection -> {
          requireTenant(connection, tenant);
          Quota before = QuotaRepository.overrides(connection, tenant);
          QuotaRepository.save(connection, tenant, overrides);
          AuditLog.record(connection, caller, tenant, "quota.set", tenant, before, overrides);
          return new Limits(overrides, overrides.over(defaults.asQuota()));
        });
  }

  /**
   * The limits in force for a tenant, read on the caller's connection (for checks inside other
   * features' transactions).
   */
  public Quota effective(Connection connection, String tenant) throws SQLException {
    return QuotaRepository.overrides(connection, tenant).over(defaults.asQuota());
  }

  private static void validate(Quota quota) {
    if (quota.requestsPerSecond() != null && !(quota.requestsPerSecond() > 0)) {
      throw Problem.invalid("requests_per_second must be > 0, got " + quota.requestsPerSecond());
    }
    requireNonNegative("burst", quota.burst());
    requireNonNegative("max_concurrent_requests", quota.maxConcurrentRequests());
    requireNonNegative("max_request_bytes", quota.maxRequestBytes());
    requireNonNegative("monthly_requests", quota.monthlyRequests());
    requireNonNegative("max_models", quota.maxModels());
    requireNonNegative("max_storage_bytes", quota.maxStorageBytes());
    requireNonNegative("max_replicas", quota.maxReplicas());
  }

  private static void requireNonNegative(String field, Long value) {
    if (value != null && value < 0) {
      throw Problem.invalid(field + " must be >= 0, got " + value);
    }
  }

  private static void requireTenant(Connection connection, String tenant) throws SQLException {
    if (TenantRepository.find(connection, tenant, false).isEmpty()) {
      throw Problem.notFound(Access.tenantNotFound(tenant));
    }
  }

  /**
   * A tenant's quota.
   *
   * @param overrides the tenant's own limits; null fields follow the default
   * @param effective the limits in force
   */
  public record Limits(Quota overrides, Quota effective) {}
}
