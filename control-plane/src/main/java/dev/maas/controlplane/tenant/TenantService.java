package dev.maas.controlplane.tenant;

import dev.maas.controlplane.audit.AuditLog;
import dev.maas.controlplane.auth.Access;
import dev.maas.controlplane.auth.Principal;
import dev.maas.controlplane.db.Database;
import dev.maas.controlplane.problem.Problem;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;

/** Creates, reads, suspends, resumes and deletes tenants, with their audit events. */
@Singleton
public final class TenantService {

  /** Tenant names: DNS-label-like, so they fit in URLs, labels and file names. */
  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{1,62}");

  private final Database database;

  public TenantService(Database database) {
    this.database = database;
  }

  /** Creates a tenant. */
  public Tenant create(Principal caller, String name, String displayName) {
    Access.requireAdmin(caller, "create tenants");
    if (!NAME.matcher(name).matches()) {
      throw Problem.invalid(
          "tenant name '"
              + name
              + "' is invalid: use 2-63 lower-case letters, digits and '-',"
              + " starting with a letter");
    }
    return database.transaction(
        connection -> {
          if (TenantRepository.find(connection, name, false).isPresent()) {
            throw Problem.alreadyExists("tenant '" + name + "' already exists");
          }
          TenantRepository.insert(connection, name, displayName);
          Tenant created = require(connection, name, false);
          AuditLog.record(connection, caller, name, "tenant.create", name, null, created);
          return created;
        });
  }

  /** The tenant, if the caller may see it. */
  public Tenant get(Principal caller, String name) {
    Access.requireTenant(caller, name);
    return database.transaction(connection -> require(connection, name, false));
  }

  /** Every tenant the caller may see, by name. */
  public List<Tenant> list(Principal caller) {
    if (caller instanceof Principal.TenantKey key) {
      return List.of(get(caller, key.tenant()));
    }
    return database.transaction(TenantRepository::list);
  }

  /** Suspends or resumes a tenant. */
  public Tenant setStatus(Principal caller, String name, TenantStatus status) {
    Access.requireAdmin(
        caller, (status == TenantStatus.SUSPENDED ? "suspend" : "resume") + " tenants");
    return database.transaction(
        connection -> {
          Tenant before = require(connection, name, true);
          TenantRepository.setStatus(connection, name, status);
          Tenant after = require(connection, name, false);
          String action = status == TenantStatus.SUSPENDED ? "tenant.suspend" : "tenant.resume";
          AuditLog.record(connection, caller, name, action, name, before, after);
          return after;
        });
  }

  /** Deletes a tenant with its keys and models; refused while any model is deployed. */
  public void delete(Principal caller, String name) {
    Access.requireAdmin(caller, "delete tenants");
    database.transaction(
        connection -> {
          Tenant before = require(connection, name, true);
          if (TenantRepository.hasDeployments(connection, name)) {
            throw Problem.failedPrecondition(
                "tenant '" + name + "' has deployed models; delete their deployments first");
          }
          TenantRepository.delete(connection, name);
          AuditLog.record(connection, caller, name, "tenant.delete", name, before, null);
          return null;
        });
  }

  private static Tenant require(Connection connection, String name, boolean forUpdate)
      throws SQLException {
    return TenantRepository.find(connection, name, forUpdate)
        .orElseThrow(() -> Problem.notFound(Access.tenantNotFound(name)));
  }
}
