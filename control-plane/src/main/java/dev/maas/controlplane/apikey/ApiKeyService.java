package dev.maas.controlplane.apikey;

import dev.maas.controlplane.audit.AuditLog;
import dev.maas.controlplane.auth.Access;
import dev.maas.controlplane.auth.KeyScope;
import dev.maas.controlplane.auth.Principal;
import dev.maas.controlplane.auth.TokenHash;
import dev.maas.controlplane.db.Database;
import dev.maas.controlplane.problem.Problem;
import dev.maas.controlplane.tenant.TenantRepository;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Creates, lists and revokes API keys, with their audit events. */
@Singleton
public final class ApiKeyService {

  private final Database database;

  public ApiKeyService(Database database) {
    this.database = database;
  }

  /** A new key and its whole text, which is returned only this once. */
  public Created create(
      Principal caller,
      String tenant,
      Set<KeyScope> scopes,
      String description,
      Instant expiresAt) {
    Access.requireTenant(caller, tenant);
    if (scopes.isEmpty()) {
      throw Problem.invalid("an API key needs at least one scope: infer or manage");
    }
    if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
      throw Problem.invalid("expire_time " + expiresAt + " is not in the future");
    }
    ApiKeyFormat.Parsed generated = ApiKeyFormat.generate();
    return database.transaction(
        connection -> {
          requireTenant(connection, tenant);
          ApiKeyRepository.insert(
              connection,
              generated.keyId(),
              tenant,
              TokenHash.sha256(generated.secret()),
              scopes,
              description,
              expiresAt);
          ApiKey key = ApiKeyRepository.find(connection, generated.keyId()).orElseThrow();
          AuditLog.record(connection, caller, tenant, "key.create", key.keyId(), null, key);
          return new Created(key, generated.text());
        });
  }

  /** The tenant's keys, newest first, without secrets. */
  public List<ApiKey> list(Principal caller, String tenant) {
    Access.requireTenant(caller, tenant);
    return database.transaction(
        connection -> {
          requireTenant(connection, tenant);
          return ApiKeyRepository.listByTenant(connection, tenant);
        });
  }

  /** Revokes a key of the tenant; revoking a revoked key changes nothing. */
  public ApiKey revoke(Principal caller, String tenant, String keyId) {
    Access.requireTenant(caller, tenant);
    return database.transaction(
        connection -> {
          ApiKey before =
              ApiKeyRepository.find(connection, keyId)
                  .filter(key -> key.tenant().equals(tenant))
                  .orElseThrow(
                      () ->
                          Problem.notFound(
                              "API key '" + keyId + "' not found in tenant '" + tenant + "'"));
          ApiKeyRepository.revoke(connection, keyId);
          ApiKey after = ApiKeyRepository.find(connection, keyId).orElseThrow();
          AuditLog.record(connection, caller, tenant, "key.revoke", keyId, before, after);
          return after;
        });
  }

  private static void requireTenant(Connection connection, String tenant) throws SQLException {
    if (TenantRepository.find(connection, tenant, false).isEmpty()) {
      throw Problem.notFound(Access.tenantNotFound(tenant));
    }
  }

  /**
   * A key just created.
   *
   * @param text the whole key, {@code mk_<id>_<secret>}
   */
  public record Created(ApiKey key, String text) {}
}
