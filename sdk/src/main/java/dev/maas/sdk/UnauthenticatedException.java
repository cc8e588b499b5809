package dev.maas.sdk;

import io.grpc.Status;

/** UNAUTHENTICATED: a missing, malformed, unknown, expired or revoked key or token. */
public final class UnauthenticatedException extends MaasException {

  private static final long serialVersionUID = 1L;

  /** An exception with the server's description and the underlying gRPC exception (or null). */
  public UnauthenticatedException(String description, Throwable cause) {
    super(Status.Code.UNAUTHENTICATED, description, cause);
  }
}
