package dev.maas.gateway.grpc;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import dev.maas.gateway.auth.AuthenticationException;
import dev.maas.gateway.auth.PermissionDeniedException;
import dev.maas.gateway.quota.QuotaExceededException;
import dev.maas.gateway.routing.InvalidRequestException;
import dev.maas.gateway.routing.ModelNotFoundException;
import dev.maas.gateway.routing.NoServingReplicaException;
import dev.maas.gateway.snapshot.NoSnapshotException;
import dev.maas.proto.StatusDescriptions;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The gateway's one mapping from exceptions (and worker statuses) to what callers see (§8). */
public final class GatewayStatusMapping {

  /** gRPC's retry hint (A6): milliseconds to wait, or negative for "do not retry". */
  public static final Metadata.Key<String> RETRY_PUSHBACK =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  private static final Logger log = LoggerFactory.getLogger(GatewayStatusMapping.class);

  private GatewayStatusMapping() {}

  /** The status, with details and trailers, a caller sees for {@code error}. */
  public static StatusRuntimeException toException(Throwable error) {
    if (error instanceof StatusRuntimeException sre) {
      return sre;
    }
    if (error instanceof StatusException se) {
      return se.getStatus().asRuntimeException(se.getTrailers());
    }
    if (error instanceof QuotaExceededException quota) {
      return quotaExceeded(quota);
    }
    Status status;
    if (error instanceof AuthenticationException) {
      status = Status.UNAUTHENTICATED;
    } else if (error instanceof PermissionDeniedException) {
      status = Status.PERMISSION_DENIED;
    } else if (error instanceof ModelNotFoundException) {
      status = Status.NOT_FOUND;
    } else if (error instanceof InvalidRequestException) {
      status = Status.INVALID_ARGUMENT;
    } else if (error instanceof NoServingReplicaException || error instanceof NoSnapshotException) {
      status = Status.UNAVAILABLE;
    } else {
      log.error("call failed unexpectedly", error);
      return Status.INTERNAL
          .withDescription("internal error; the gateway log has the details")
          .asRuntimeException();
    }
    return status
        .withDescription(StatusDescriptions.bounded(error.getMessage()))
        .asRuntimeException();
  }

  /**
   * What a caller sees for a worker's answer: its code and description, without the cause or
   * anything local to the gateway's connection; UNKNOWN becomes a generic INTERNAL.
   */
  public static StatusRuntimeException fromWorker(Status worker) {
    if (worker.getCode() == Status.Code.UNKNOWN) {
      log.warn("worker answered {}", worker);
      return Status.INTERNAL.withDescription("internal error in the worker").asRuntimeException();
    }
    return Status.fromCode(worker.getCode())
        .withDescription(StatusDescriptions.bounded(worker.getDescription()))
        .asRuntimeException();
  }

  private static StatusRuntimeException quotaExceeded(QuotaExceededException quota) {
    Duration delay = quota.retryAfter();
    com.google.rpc.Status details =
        com.google.rpc.Status.newBuilder()
            .setCode(Status.Code.RESOURCE_EXHAUSTED.value())
            .setMessage(StatusDescriptions.bounded(quota.getMessage()))
            .addDetails(
                Any.pack(
                    RetryInfo.newBuilder()
                        .setRetryDelay(
                            com.google.protobuf.Duration.newBuilder()
                                .setSeconds(delay.getSeconds())
                                .setNanos(delay.getNano()))
                        .build()))
            .build();
    Metadata trailers = new Metadata();
    long pushbackMillis = (delay.toNanos() + 999_999) / 1_000_000;
    trailers.put(
        RETRY_PUSHBACK,
        quota.retryable() ? Long.toString(Math.min(pushbackMillis, Integer.MAX_VALUE)) : "-1");
    return StatusProto.toStatusRuntimeException(details, trailers);
  }
}
