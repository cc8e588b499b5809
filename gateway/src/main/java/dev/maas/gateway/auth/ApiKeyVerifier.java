package dev.maas.gateway.auth;

import dev.maas.gateway.snapshot.KeyEntry;
import dev.maas.gateway.snapshot.RoutingTable;
import dev.maas.gateway.snapshot.TenantEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Checks an API key ({@code mk_<key id>_<secret>}) against the routing table in memory: the key id
 * is looked up, and the SHA-256 of the secret compared in constant time. A secret that matched is
 * remembered for a short while (see {@link Remembered}), so a key's next calls compare its bytes in
 * constant time instead of hashing them again. Thread-safe.
 */
public final class ApiKeyVerifier {

  /** Longest key id; key ids are [A-Za-z0-9] and hold no '_'. */
  private static final int MAX_KEY_ID = 64;

  /** Longest secret; secrets are URL-safe base64 ([A-Za-z0-9_-]) and may hold '_'. */
  private static final int MAX_SECRET = 256;

  /** Compared against when the key id is unknown, so both paths hash and compare. */
  private static final byte[] NO_KEY_HASH = new byte[32];

  /** How long a verified secret is remembered at most. */
  static final Duration REMEMBER_FOR = Duration.ofSeconds(30);

  /** The most secrets remembered for one routing table. */
  static final int MAX_REMEMBERED = 4096;

  private final Clock clock;

  /** Verified secrets of the routing table last seen; replaced whenever the table changes. */
  private volatile Remembered remembered = new Remembered(null);

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
    int separator = keyIdEnd(presented);
    if (separator < 0 || !isSecret(presented, separator + 1)) {
      throw new AuthenticationException("malformed API key");
    }
    String keyId = presented.substring(3, separator);
    byte[] secret = presented.substring(separator + 1).getBytes(StandardCharsets.UTF_8);
    Optional<KeyEntry> found = table.key(keyId);
    Instant now = clock.instant();
    boolean secretMatches =
        found.isPresent()
            ? secretMatches(found.get(), secret, table, now)
            : MessageDigest.isEqual(NO_KEY_HASH, sha256(secret));
    if (!secretMatches) {
      // Unknown and revoked keys (absent from the snapshot) read the same as a wrong secret.
      throw new AuthenticationException("invalid API key");
    }
    KeyEntry key = found.get();
    if (key.isExpiredAt(now)) {
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

  /**
   * Whether {@code secret} is {@code key}'s: in constant time against a secret of this key that
   * matched recently under the same table, else by its SHA-256 (also in constant time).
   */
  private boolean secretMatches(KeyEntry key, byte[] secret, RoutingTable table, Instant now) {
    Remembered current = remembered;
    if (current.table != table) {
      current = new Remembered(table);
      remembered = current;
    }
    Verified seen = current.byKeyId.get(key.keyId());
    if (seen != null
        && seen.key == key
        && now.isBefore(seen.until)
        && MessageDigest.isEqual(seen.secret, secret)) {
      return true;
    }
    if (!MessageDigest.isEqual(key.secretSha256(), sha256(secret))) {
      return false;
    }
    // Rare (once per key and REMEMBER_FOR): drop what has run out, so no secret stays longer.
    current.byKeyId.values().removeIf(stale -> !now.isBefore(stale.until));
    if (current.byKeyId.size() < MAX_REMEMBERED) {
      current.byKeyId.put(key.keyId(), new Verified(key, secret, now.plus(REMEMBER_FOR)));
    }
    return true;
  }

  /**
   * The index of the '_' after {@code mk_<key id>}, or -1 when the text does not start with a
   * well-formed key id.
   */
  private static int keyIdEnd(String text) {
    if (!text.startsWith("mk_")) {
      return -1;
    }
    int end = 3;
    while (end < text.length() && end - 3 <= MAX_KEY_ID && isAlphanumeric(text.charAt(end))) {
      end++;
    }
    int length = end - 3;
    return length >= 1 && length <= MAX_KEY_ID && end < text.length() && text.charAt(end) == '_'
        ? end
        : -1;
  }

  /** Whether {@code text} from {@code start} on is 1 to 256 characters of URL-safe base64. */
  private static boolean isSecret(String text, int start) {
    int length = text.length() - start;
    if (length < 1 || length > MAX_SECRET) {
      return false;
    }
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!isAlphanumeric(c) && c != '_' && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlphanumeric(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  /** SHA-256 of the text's UTF-8 bytes. */
  static byte[] sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Secrets that matched their key in {@link #table}. Bounded ({@link #MAX_REMEMBERED}),
   * short-lived ({@link #REMEMBER_FOR}) and dropped as a whole with every new routing snapshot, so
   * a revoked, rotated or expired key stops working as soon as the snapshot that says so arrives,
   * exactly as without it. Keyed by the key id, not by the presented text, so that a lookup never
   * compares secrets outside {@link MessageDigest#isEqual}.
   */
  private static final class Remembered {
    final RoutingTable table;
    final ConcurrentMap<String, Verified> byKeyId = new ConcurrentHashMap<>();

    Remembered(RoutingTable table) {
      this.table = table;
    }
  }

  /** A secret that matched {@code key}, trusted until {@code until}. */
  private record Verified(KeyEntry key, byte[] secret, Instant until) {}
}
