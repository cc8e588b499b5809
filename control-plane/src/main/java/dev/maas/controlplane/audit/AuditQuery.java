package dev.maas.controlplane.audit;

import dev.maas.controlplane.auth.Access;
import dev.maas.controlplane.auth.Principal;
import dev.maas.controlplane.db.Database;
import dev.maas.controlplane.problem.Problem;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;

/** Reads the audit log, newest first: one tenant's events, or every event for the admin. */
@Singleton
public final class AuditQuery {

  /** Events answered when the request leaves the limit at 0. */
  static final int DEFAULT_LIMIT = 100;

  /** The most events one request gets; larger limits are lowered to this. */
  static final int MAX_LIMIT = 1000;

  private final Database database;

  public AuditQuery(Database database) {
    this.database = database;
  }

  /**
   * The newest audit events.
   *
   * @param tenant only this tenant's events; empty means every event, which only the admin may see
   * @param limit at most this many; 0 means 100, more than 1000 means 1000
   * @throws Problem INVALID_ARGUMENT (negative limit), PERMISSION_DENIED (every event, asked by a
   *     key), NOT_FOUND (another tenant's events, asked by a key)
   */
  public List<Event> latest(Principal caller, String tenant, int limit) {
    if (limit < 0) {
      throw Problem.invalid("limit must be >= 0 (0 means " + DEFAULT_LIMIT + "), got " + limit);
    }
    int rows = limit == 0 ? DEFAULT_LIMIT : Math.min(limit, MAX_LIMIT);
    if (tenant == null || tenant.isEmpty()) {
      Access.requireAdmin(caller, "list the audit events of every tenant; name your tenant");
      return database.transaction(connection -> AuditQueryRepository.latest(connection, rows));
    }
    // Events stay listed after their tenant is deleted, so the admin may still read them.
    Access.requireTenant(caller, tenant);
    return database.transaction(
        connection -> AuditQueryRepository.latestOfTenant(connection, tenant, rows));
  }

  /**
   * One administrative change as the audit log holds it.
   *
   * @param tenant the tenant it concerned; empty for platform-wide changes
   * @param beforeJson the target before, as JSON; empty if it did not exist
   * @param afterJson the target after, as JSON; empty if it no longer exists
   */
  public record Event(
      long id,
      Instant at,
      String actor,
      String tenant,
      String action,
      String target,
      String beforeJson,
      String afterJson) {}
}
