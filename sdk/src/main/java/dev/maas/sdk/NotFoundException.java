package dev.maas.sdk;

import io.grpc.Status;

/** NOT_FOUND: no such tenant, model, version or key in the caller's reach. */
public final class NotFoundException extends MaasException {

  private static final long serialVersionUID = 1L;

  /** An exception with the server's description and the underlying gRPC exception (or null). */
  public NotFoundException(String description, Throwable cause) {
    super(Status.Code.NOT_FOUND, description, cause);
  }
}
