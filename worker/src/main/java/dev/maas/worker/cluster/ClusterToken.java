package dev.maas.worker.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The shared secret that members of a cluster present to each other. The worker sends it to the
 * control plane and requires it on data-plane calls; {@link #toString()} never shows it.
 */
public final class ClusterToken {

  private final String value;
  private final byte[] digest;

  private ClusterToken(String value) {
    this.value = value;
    this.digest = sha256(value);
  }

  /**
   * The token with this text.
   *
   * @throws IllegalArgumentException when it is blank
   */
  public static ClusterToken of(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("the cluster token is empty");
    }
    return new ClusterToken(value);
  }

  /** The value of an {@code authorization} header that carries the token. */
  String bearerHeader() {
    return "Bearer " + value;
  }

  /**
   * Whether {@code presented} is the token. Compares SHA-256 digests in constant time, so neither
   * the token's length nor its content leaks through timing.
   */
  boolean matches(String presented) {
    return MessageDigest.isEqual(digest, sha256(presented));
  }

  @Override
  public String toString() {
    return "ClusterToken[redacted]";
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
