package dev.maas.sdk;

import io.grpc.Status;

/** INVALID_ARGUMENT: a bad tensor (datatype, shape, size), name or setting. */
public final class InvalidArgumentException extends MaasException {

  private static final long serialVersionUID = 1L;

  /** An exception with the server's description and the underlying gRPC exception (or null). */
  public InvalidArgumentException(String description, Throwable cause) {
    super(Status.Code.INVALID_ARGUMENT, description, cause);
  }
}
