package dev.maas.gateway.auth;

import dev.maas.gateway.snapshot.KeyEntry;
import dev.maas.gateway.snapshot.RoutingTable;
import dev.maas.gateway.snapshot.TenantEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks an API key ({@code mk_<key id>_<secret>}) against the routing table in memory: the key id
 * is looked up, and the SHA-256 of the secret compared in constant time. Stateless and thread-safe.
 */
public final class ApiKeyVerifier {

  /** Key ids hold no '_'; the secret (URL-safe base64) may. */
  private static final Pattern KEY =
      Pattern.compile("mk_([A-Za-z0-9]{1,64})_([A-Za-z0-9_-]{1,256})");

  /** Compared against when the key id is unknown, so both paths hash and compare. */
  private static final byte[] NO_KEY_HASH = new byte[32];

  private final Clock clock;

  public ApiKeyVerifier(Clock clock) {
    this.clock = clock;
  }

  /**
   * The caller {@code presented} identifies.
   *
   * @param presented the key text, or null when the call carried none
   * @throws AuthenticationException missing, malformed, unknown, revoked or expired key
   * @throws PermissionDeniedException no {@code infer} scope, or the tenant is suspended or gone
   */
  public Principal verify(String presented, RoutingTable table) {
    if (presented == null || presented.isEmpty()) {
      throw new AuthenticationException(
          "missing API key: send 'authorization: Bearer <key>' or 'x-api-key: <key>'");
    }
    Matcher matcher = KEY.matcher(presented);
    if (!matcher.matches()) {
      throw new AuthenticationException("malformed API key");
    }
    Optional<KeyEntry> found = table.key(matcher.group(1));
    byte[] expected = found.map(KeyEntry::secretSha256).orElse(NO_KEY_HASH);
    boolean secretMatches = MessageDigest.isEqual(expected, sha256(matcher.group(2)));
    if (found.isEmpty() || !secretMatches) {
      // Unknown and revoked keys (absent from the snapshot) read the same as a wrong secret.
      throw new AuthenticationException("invalid API key");
    }
    KeyEntry key = found.get();
    if (key.isExpiredAt(clock.instant())) {
      throw new AuthenticationException("API key has expired");
    }
    if (!key.infer()) {
      throw new PermissionDeniedException("API key lacks the 'infer' scope");
    }
    Optional<TenantEntry> tenant = table.tenant(key.tenant());
    if (tenant.isEmpty() || !tenant.get().active()) {
      throw new PermissionDeniedException("tenant is suspended");
    }
    return new Principal(key.tenant(), key.keyId());
  }

  /** SHA-256 of the text's UTF-8 bytes. */
  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
