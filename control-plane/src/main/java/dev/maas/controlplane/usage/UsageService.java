package dev.maas.controlplane.usage;

import dev.maas.controlplane.auth.Access;
import dev.maas.controlplane.auth.Principal;
import dev.maas.controlplane.db.Database;
import dev.maas.controlplane.problem.Problem;
import dev.maas.controlplane.tenant.TenantRepository;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Answers tenants' usage per model, version and hour. */
@Singleton
public final class UsageService {

  /** The range asked for when the request leaves the start unset. */
  static final Duration DEFAULT_RANGE = Duration.ofHours(24);

  /** The longest range one request may ask for, which keeps answers small. */
  static final Duration MAX_RANGE = Duration.ofDays(31);

  private final Database database;

  public UsageService(Database database) {
    this.database = database;
  }

  /**
   * The tenant's usage in the hours from the one holding {@code start} up to {@code end}, oldest
   * first.
   *
   * @param model only this model, or empty for every model
   * @param start null means 24 hours before {@code end}
   * @param end null means now
   * @throws Problem INVALID_ARGUMENT (bad range), NOT_FOUND (tenant)
   */
  public List<UsageRecord> get(
      Principal caller, String tenant, String model, Instant start, Instant end) {
    if (tenant == null || tenant.isBlank()) {
      throw Problem.invalid("tenant is required");
    }
    Instant to = end != null ? end : Instant.now();
    Instant from = (start != null ? start : to.minus(DEFAULT_RANGE)).truncatedTo(ChronoUnit.HOURS);
    if (!from.isBefore(to)) {
      throw Problem.invalid("start_time " + from + " must be before end_time " + to);
    }
    if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
      throw Problem.invalid(
          "ask for at most 31 days of usage at a time; got " + from + " to " + to);
    }
    Access.requireTenant(caller, tenant);
    String onlyModel = model == null || model.isEmpty() ? null : model;
    return database.transaction(
        connection -> {
          if (TenantRepository.find(connection, tenant, false).isEmpty()) {
            throw Problem.notFound(Access.tenantNotFound(tenant));
          }
          return UsageRepository.records(connection, tenant, onlyModel, from, to);
        });
  }
}
