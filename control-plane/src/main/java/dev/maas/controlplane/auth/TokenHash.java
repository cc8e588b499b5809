package dev.maas.controlplane.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Hashes of secrets. Tokens and key secrets are long random strings, so one SHA-256 is enough to
 * keep them out of storage; comparison is constant-time.
 */
public final class TokenHash {

  private TokenHash() {}

  /** The SHA-256 of the text's UTF-8 bytes. */
  public static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Whether {@code presented} hashes to {@code expectedHash}, in time independent of where they
   * differ.
   */
  public static boolean matches(byte[] expectedHash, String presented) {
    return MessageDigest.isEqual(expectedHash, sha256(presented));
  }
}
