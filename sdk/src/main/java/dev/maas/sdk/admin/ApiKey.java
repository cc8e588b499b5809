package dev.maas.sdk.admin;

import java.time.Instant;
import java.util.List;

/**
 * An API key, without its secret.
 *
 * @param keyId the key's id: the part between {@code mk_} and the second {@code _}
 * @param tenant the tenant it belongs to
 * @param scopes what it may do
 * @param description free text for people
 * @param createTime when it was created
 * @param expireTime when it stops working; null means never
 * @param revokeTime when it was revoked; null while it is not
 * @param lastUsedTime when it was last used, as gateways report; null if never
 */
public record ApiKey(
    String keyId,
    String tenant,
    List<Scope> scopes,
    String description,
    Instant createTime,
    Instant expireTime,
    Instant revokeTime,
    Instant lastUsedTime) {

  /** Copies the scopes. */
  public ApiKey {
    scopes = List.copyOf(scopes);
  }
}
