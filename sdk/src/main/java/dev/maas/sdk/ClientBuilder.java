package dev.maas.sdk;

import dev.maas.sdk.internal.ConnectionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What both clients are built with: where the server is, the credential, TLS, deadlines and
 * retries. Not thread-safe.
 *
 * @param <B> the concrete builder
 */
public abstract class ClientBuilder<B extends ClientBuilder<B>> {

  /** Largest message accepted by default: 64 MiB, as the servers' own limit. */
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_BYTES = 64 * 1024 * 1024;

  private String target;
  private String credential;
  private boolean tls;
  private Path trustedCertificates;
  private String authority;
  private Duration timeout;
  private RetryPolicy retryPolicy = RetryPolicy.defaults();
  private int maxInboundMessageBytes = DEFAULT_MAX_INBOUND_MESSAGE_BYTES;

  ClientBuilder(String defaultTarget, Duration defaultTimeout) {
    this.target = defaultTarget;
    this.timeout = defaultTimeout;
  }

  /** The server as a gRPC target: {@code host:port}, or a URI such as {@code dns:///host:port}. */
  public B target(String hostAndPort) {
    this.target = Objects.requireNonNull(hostAndPort, "target");
    return self();
  }

  /** Sends {@code authorization: Bearer <credential>} on every call; null sends nothing. */
  B credential(String bearer) {
    this.credential = bearer;
    return self();
  }

  /** Uses TLS, trusting the JVM's default certificate authorities. */
  public B useTls() {
    this.tls = true;
    return self();
  }

  /** Uses TLS or plaintext (the default). */
  public B tls(boolean enabled) {
    this.tls = enabled;
    return self();
  }

  /** Uses TLS, trusting the certificate authorities in this PEM file. */
  public B trustCertificates(Path pemFile) {
    if (!Files.isReadable(pemFile)) {
      throw new IllegalArgumentException("cannot read certificates from " + pemFile);
    }
    this.trustedCertificates = pemFile;
    this.tls = true;
    return self();
  }

  /**
   * Checks the server's certificate against this host name instead of the target's (for a server
   * reached by an address its certificate does not name).
   */
  public B overrideAuthority(String hostName) {
    this.authority = hostName;
    return self();
  }

  /** The deadline of a call that sets none of its own. */
  public B timeout(Duration callTimeout) {
    if (callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException("the timeout must be positive, got " + callTimeout);
    }
    this.timeout = callTimeout;
    return self();
  }

  /** How calls failing with UNAVAILABLE are retried ({@link RetryPolicy#defaults()} if unset). */
  public B retryPolicy(RetryPolicy policy) {
    this.retryPolicy = Objects.requireNonNull(policy, "policy");
    return self();
  }

  /** The largest message accepted from the server. */
  public B maxInboundMessageBytes(int bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("maxInboundMessageBytes must be positive");
    }
    this.maxInboundMessageBytes = bytes;
    return self();
  }

  /** This builder, typed as the concrete one. */
  abstract B self();

  /** The settings so far. */
  ConnectionSettings settings() {
    return new ConnectionSettings(
        target,
        credential,
        tls,
        trustedCertificates,
        authority,
        timeout,
        retryPolicy,
        maxInboundMessageBytes);
  }
}
