package dev.maas.sdk;

import io.grpc.Status;

/** FAILED_PRECONDITION: the state does not allow it (a retired or deployed version, ...). */
public final class FailedPreconditionException extends MaasException {

  private static final long serialVersionUID = 1L;

  /** An exception with the server's description and the underlying gRPC exception (or null). */
  public FailedPreconditionException(String description, Throwable cause) {
    super(Status.Code.FAILED_PRECONDITION, description, cause);
  }
}
