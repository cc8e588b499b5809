package dev.maas.controlplane.apikey;

import dev.maas.controlplane.auth.Principal;
import dev.maas.controlplane.auth.TokenHash;
import dev.maas.controlplane.db.Database;
import dev.maas.controlplane.problem.Problem;
import dev.maas.controlplane.tenant.Tenant;
import dev.maas.controlplane.tenant.TenantRepository;
import dev.maas.controlplane.tenant.TenantStatus;
import jakarta.inject.Singleton;
import java.security.MessageDigest;
import java.time.Instant;

/**
 * Checks a presented API key against the database: format, secret (constant-time), revocation,
 * expiry and the tenant's status.
 */
@Singleton
public final class ApiKeyVerifier {

  private static final String REFUSED = "invalid API key or token";

  private final Database database;

  public ApiKeyVerifier(Database database) {
    this.database = database;
  }

  /**
   * The key's principal.
   *
   * @throws Problem UNAUTHENTICATED for a malformed, unknown, wrong, revoked or expired key;
   *     PERMISSION_DENIED when its tenant is suspended
   */
  public Principal.TenantKey verify(String presented) {
    ApiKeyFormat.Parsed parsed =
        ApiKeyFormat.parse(presented).orElseThrow(() -> Problem.unauthenticated(REFUSED));
    return database.transaction(
        connection -> {
          byte[] expected =
              ApiKeyRepository.secretHash(connection, parsed.keyId())
                  .orElseThrow(() -> Problem.unauthenticated(REFUSED));
          if (!MessageDigest.isEqual(expected, TokenHash.sha256(parsed.secret()))) {
            throw Problem.unauthenticated(REFUSED);
          }
          ApiKey key = ApiKeyRepository.find(connection, parsed.keyId()).orElseThrow();
          if (key.revokedAt() != null) {
            throw Problem.unauthenticated("API key " + key.keyId() + " has been revoked");
          }
          if (!key.isActiveAt(Instant.now())) {
            throw Problem.unauthenticated("API key " + key.keyId() + " has expired");
          }
          Tenant tenant = TenantRepository.find(connection, key.tenant(), false).orElseThrow();
          if (tenant.status() == TenantStatus.SUSPENDED) {
            throw Problem.permissionDenied("tenant '" + tenant.name() + "' is suspended");
          }
          ApiKeyRepository.touch(connection, key.keyId());
          return new Principal.TenantKey(key.keyId(), key.tenant(), key.scopes());
        });
  }
}
