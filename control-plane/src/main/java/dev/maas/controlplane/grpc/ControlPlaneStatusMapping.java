package dev.maas.controlplane.grpc;

import dev.maas.controlplane.problem.Problem;
import dev.maas.proto.StatusDescriptions;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The control plane's one mapping from exceptions to gRPC status, per DESIGN.md §8. */
public final class ControlPlaneStatusMapping {

  private static final Logger log = LoggerFactory.getLogger(ControlPlaneStatusMapping.class);

  private ControlPlaneStatusMapping() {}

  /** The status the caller sees; unexpected errors are logged and answered INTERNAL. */
  public static Status toStatus(Throwable error) {
    if (error instanceof Problem problem) {
      return code(problem.kind()).withDescription(StatusDescriptions.bounded(problem.getMessage()));
    }
    if (error instanceof StatusRuntimeException sre) {
      return sre.getStatus();
    }
    log.error("admin call failed unexpectedly", error);
    return Status.INTERNAL.withDescription("internal error; the control plane log has the details");
  }

  private static Status code(Problem.Kind kind) {
    return switch (kind) {
      case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
      case NOT_FOUND -> Status.NOT_FOUND;
      case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
      case PERMISSION_DENIED -> Status.PERMISSION_DENIED;
      case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
      case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
      case RESOURCE_EXHAUSTED -> Status.RESOURCE_EXHAUSTED;
      case UNAVAILABLE -> Status.UNAVAILABLE;
    };
  }
}
