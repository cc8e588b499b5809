package dev.maas.sdk.internal;

import dev.maas.sdk.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a client connects. Internal: built by the public client builders.
 *
 * @param target gRPC target
 * @param credential bearer credential, or null
 * @param tls whether to use TLS
 * @param trustedCertificates PEM file of trusted authorities, or null for the JVM's
 * @param authority host name to check the certificate against, or null
 * @param timeout default deadline of a call
 * @param retryPolicy retries of UNAVAILABLE
 * @param maxInboundMessageBytes largest message taken from the server
 */
public record ConnectionSettings(
    String target,
    String credential,
    boolean tls,
    Path trustedCertificates,
    String authority,
    Duration timeout,
    RetryPolicy retryPolicy,
    int maxInboundMessageBytes) {

  @Override
  public String toString() {
    // Never print the credential.
    return "ConnectionSettings[target=" + target + ", tls=" + tls + "]";
  }
}
