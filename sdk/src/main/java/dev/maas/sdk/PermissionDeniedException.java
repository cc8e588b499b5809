package dev.maas.sdk;

import io.grpc.Status;

/** PERMISSION_DENIED: the key lacks the scope, or its tenant is suspended. */
public final class PermissionDeniedException extends MaasException {

  private static final long serialVersionUID = 1L;

  /** An exception with the server's description and the underlying gRPC exception (or null). */
  public PermissionDeniedException(String description, Throwable cause) {
    super(Status.Code.PERMISSION_DENIED, description, cause);
  }
}
