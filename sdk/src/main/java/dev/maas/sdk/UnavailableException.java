package dev.maas.sdk;

import io.grpc.Status;

/**
 * UNAVAILABLE: the server cannot answer now (model loading, no serving replica, queue full,
 * unreachable). Retryable; the client already retried it as its {@link RetryPolicy} allows.
 */
public final class UnavailableException extends MaasException {

  private static final long serialVersionUID = 1L;

  /** An exception with the server's description and the underlying gRPC exception (or null). */
  public UnavailableException(String description, Throwable cause) {
    super(Status.Code.UNAVAILABLE, description, cause);
  }
}
