package dev.maas.sdk;

import io.grpc.Status;

/** DEADLINE_EXCEEDED: the call's deadline passed before the answer came. */
public final class DeadlineExceededException extends MaasException {

  private static final long serialVersionUID = 1L;

  /** An exception with the server's description and the underlying gRPC exception (or null). */
  public DeadlineExceededException(String description, Throwable cause) {
    super(Status.Code.DEADLINE_EXCEEDED, description, cause);
  }
}
