package dev.maas.worker.grpc;

import dev.maas.worker.batching.BatcherClosedException;
import dev.maas.worker.batching.QueueFullException;
import dev.maas.worker.batching.RequestExpiredException;
import dev.maas.worker.lifecycle.ModelNotFoundException;
import dev.maas.worker.lifecycle.ModelUnavailableException;
import dev.maas.worker.runtime.ModelExecutionException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The worker's one mapping from exceptions to gRPC status, following DESIGN.md §8. */
final class WorkerStatusMapping {

  private static final Logger log = LoggerFactory.getLogger(WorkerStatusMapping.class);

  private WorkerStatusMapping() {}

  /** The status a caller sees for {@code error}; unexpected errors are logged, not shown. */
  static Status toStatus(Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof StatusRuntimeException sre) {
      return sre.getStatus();
    }
    if (e instanceof StatusException se) {
      return se.getStatus();
    }
    if (e instanceof InvalidInputException) {
      return Status.INVALID_ARGUMENT.withDescription(e.getMessage());
    }
    if (e instanceof ModelNotFoundException) {
      return Status.NOT_FOUND.withDescription(e.getMessage());
    }
    if (e instanceof ModelUnavailableException
        || e instanceof QueueFullException
        || e instanceof BatcherClosedException) {
      return Status.UNAVAILABLE.withDescription(e.getMessage());
    }
    if (e instanceof RequestExpiredException expired) {
      return (expired.reason() == RequestExpiredException.Reason.CANCELLED
              ? Status.CANCELLED
              : Status.DEADLINE_EXCEEDED)
          .withDescription(e.getMessage());
    }
    if (e instanceof ModelExecutionException execution && execution.invalidInput()) {
      return Status.INVALID_ARGUMENT.withDescription(
          "the model rejected the input: " + execution.getMessage());
    }
    log.error("request failed unexpectedly", e);
    return Status.INTERNAL.withDescription("internal error; the worker log has the details");
  }

  private static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
