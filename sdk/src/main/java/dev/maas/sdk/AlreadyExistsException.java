package dev.maas.sdk;

import io.grpc.Status;

/** ALREADY_EXISTS: the name is taken. */
public final class AlreadyExistsException extends MaasException {

  private static final long serialVersionUID = 1L;

  /** An exception with the server's description and the underlying gRPC exception (or null). */
  public AlreadyExistsException(String description, Throwable cause) {
    super(Status.Code.ALREADY_EXISTS, description, cause);
  }
}
