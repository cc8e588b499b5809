package dev.maas.gateway.snapshot;

import java.time.Instant;

/**
 * One API key as the gateway checks it.
 *
 * @param keyId the key id, the part of {@code mk_<key id>_<secret>} before the secret
 * @param secretSha256 SHA-256 of the secret's UTF-8 bytes; never modified after construction
 * @param tenant the tenant the key belongs to
 * @param infer whether the key may call inference
 * @param expireTime when the key stops working, or null for never
 */
public record KeyEntry(
    String keyId, byte[] secretSha256, String tenant, boolean infer, Instant expireTime) {

  /** Whether the key has expired at {@code now}. */
  public boolean isExpiredAt(Instant now) {
    return expireTime != null && !now.isBefore(expireTime);
  }
}
