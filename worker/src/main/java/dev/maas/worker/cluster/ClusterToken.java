package dev.maas.worker.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The shared secret that members of a cluster present to each other. The worker sends it to the
 * control plane and requires it on data-plane calls; {@link #toString()} never shows it.
 */
public final class ClusterToken {

  private final String value;
  private final byte[] bytes;

  private ClusterToken(String value) {
    this.value = value;
    this.bytes = value.getBytes(StandardCharsets.UTF_8);
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
   * Whether {@code presented} is the token. Compares the bytes in constant time: {@link
   * MessageDigest#isEqual} takes a time set by the length of its first argument, the token, alone,
   * so neither the token's length nor its content leaks through timing. (Hashing both first, as
   * this did before, costs a SHA-256 on every data-plane call and hides nothing more.)
   */
  boolean matches(String presented) {
    return MessageDigest.isEqual(bytes, presented.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "ClusterToken[redacted]";
  }
}
