package dev.maas.controlplane.apikey;

import dev.maas.controlplane.auth.KeyScope;
import java.time.Instant;
import java.util.Set;

/**
 * An API key as stored: never its secret, only the secret's hash (kept out of this record).
 *
 * @param expiresAt when it stops working, or null for never
 * @param revokedAt when it was revoked, or null
 * @param lastUsedAt when it was last used, or null
 */
public record ApiKey(
    String keyId,
    String tenant,
    Set<KeyScope> scopes,
    String description,
    Instant createdAt,
    Instant expiresAt,
    Instant revokedAt,
    Instant lastUsedAt) {

  public ApiKey {
    scopes = Set.copyOf(scopes);
  }

  /** Whether the key works at {@code now}. */
  public boolean isActiveAt(Instant now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
  }
}
