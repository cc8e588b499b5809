package dev.maas.sdk.internal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import dev.maas.sdk.AlreadyExistsException;
import dev.maas.sdk.DeadlineExceededException;
import dev.maas.sdk.FailedPreconditionException;
import dev.maas.sdk.InvalidArgumentException;
import dev.maas.sdk.MaasException;
import dev.maas.sdk.NotFoundException;
import dev.maas.sdk.PermissionDeniedException;
import dev.maas.sdk.ResourceExhaustedException;
import dev.maas.sdk.UnauthenticatedException;
import dev.maas.sdk.UnavailableException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;

/** Turns a failed call's gRPC status into the SDK's exceptions; the one place that does. */
public final class StatusErrors {

  private static final Metadata.Key<String> PUSHBACK =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  private StatusErrors() {}

  /**
   * The SDK exception for {@code error}: a {@link MaasException} for a gRPC status (carried by
   * {@code StatusRuntimeException} or {@code StatusException}); any other exception as it is.
   */
  public static RuntimeException toException(Throwable error) {
    if (error instanceof MaasException maas) {
      return maas;
    }
    Status status = Status.fromThrowable(error);
    if (status.getCode() == Status.Code.UNKNOWN && status.getCause() == error) {
      // Not a gRPC status at all: a bug or a local failure, passed on unchanged.
      return error instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException(error.getMessage(), error);
    }
    String description = status.getDescription() == null ? "" : status.getDescription();
    return switch (status.getCode()) {
      case INVALID_ARGUMENT -> new InvalidArgumentException(description, error);
      case NOT_FOUND -> new NotFoundException(description, error);
      case ALREADY_EXISTS -> new AlreadyExistsException(description, error);
      case UNAUTHENTICATED -> new UnauthenticatedException(description, error);
      case PERMISSION_DENIED -> new PermissionDeniedException(description, error);
      case FAILED_PRECONDITION -> new FailedPreconditionException(description, error);
      case DEADLINE_EXCEEDED -> new DeadlineExceededException(description, error);
      case UNAVAILABLE -> new UnavailableException(description, error);
      case RESOURCE_EXHAUSTED ->
          new ResourceExhaustedException(description, retryDelay(error), error);
      default -> new MaasException(status.getCode(), description, error);
    };
  }

  /**
   * The delay the server asked for, from RetryInfo or the pushback trailer; null when it gave none
   * or said not to retry (pushback -1 with no positive RetryInfo delay).
   */
  private static Duration retryDelay(Throwable error) {
    Duration retryInfo = retryInfoDelay(error);
    Long pushback = pushbackMillis(error);
    if (pushback != null && pushback < 0) {
      return retryInfo != null && !retryInfo.isZero() ? retryInfo : null;
    }
    if (retryInfo != null) {
      return retryInfo;
    }
    return pushback == null ? null : Duration.ofMillis(pushback);
  }

  private static Duration retryInfoDelay(Throwable error) {
    com.google.rpc.Status details = StatusProto.fromThrowable(error);
    if (details == null) {
      return null;
    }
    for (Any detail : details.getDetailsList()) {
      if (detail.is(RetryInfo.class)) {
        try {
          com.google.protobuf.Duration delay = detail.unpack(RetryInfo.class).getRetryDelay();
          return Duration.ofSeconds(delay.getSeconds(), delay.getNanos());
        } catch (InvalidProtocolBufferException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static Long pushbackMillis(Throwable error) {
    Metadata trailers = Status.trailersFromThrowable(error);
    String pushback = trailers == null ? null : trailers.get(PUSHBACK);
    if (pushback == null) {
      return null;
    }
    try {
      return Long.parseLong(pushback.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
