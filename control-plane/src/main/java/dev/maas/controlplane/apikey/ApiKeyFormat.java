package dev.maas.controlplane.apikey;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of an API key: {@code mk_<key id>_<secret>}, the key id 16 lower-case base32 characters,
 * the secret 256 random bits in URL-safe base64 (which may itself hold '_').
 */
public final class ApiKeyFormat {

  private static final Pattern KEY = Pattern.compile("mk_([a-z2-7]{16})_([A-Za-z0-9_-]{43})");
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeyFormat() {}

  /** A key id and secret fresh from a secure random source. */
  public static Parsed generate() {
    char[] id = new char[16];
    for (int i = 0; i < id.length; i++) {
      id[i] = BASE32[RANDOM.nextInt(BASE32.length)];
    }
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return new Parsed(
        new String(id), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
  }

  /** The key id and secret of a key's text, if it has the key format. */
  public static Optional<Parsed> parse(String text) {
    Matcher matcher = KEY.matcher(text);
    return matcher.matches()
        ? Optional.of(new Parsed(matcher.group(1), matcher.group(2)))
        : Optional.empty();
  }

  /** The parts of a key. */
  public record Parsed(String keyId, String secret) {
    /** The key as a client presents it. */
    public String text() {
      return "mk_" + keyId + "_" + secret;
    }
  }
}
