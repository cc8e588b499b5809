package dev.maas.sdk;

import io.grpc.Status;
import java.util.Objects;

/**
 * A call to maas failed. It keeps the gRPC status code and the server's description; the subclasses
 * name the codes callers usually handle ({@link NotFoundException}, {@link UnavailableException},
 * ...), and every other code (INTERNAL, CANCELLED, UNIMPLEMENTED, ...) comes as a plain {@code
 * MaasException}.
 */
public class MaasException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final Status.Code code;
  private final String description;

  /**
   * An exception for a call that ended with {@code code}.
   *
   * @param code the gRPC status code
   * @param description the server's description (may be empty)
   * @param cause the underlying gRPC exception, or null
   */
  public MaasException(Status.Code code, String description, Throwable cause) {
    super(messageOf(code, description), cause);
    this.code = Objects.requireNonNull(code, "code");
    this.description = description == null ? "" : description;
  }

  /** The gRPC status code. */
  public Status.Code code() {
    return code;
  }

  /** The server's description of what went wrong, without the code; may be empty. */
  public String description() {
    return description;
  }

  /** Whether calling again later may succeed (UNAVAILABLE, RESOURCE_EXHAUSTED with a delay). */
  public boolean isRetryable() {
    return code == Status.Code.UNAVAILABLE;
  }

  private static String messageOf(Status.Code code, String description) {
    return description == null || description.isEmpty() ? code.name() : code + ": " + description;
  }
}
