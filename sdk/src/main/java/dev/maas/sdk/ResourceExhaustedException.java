package dev.maas.sdk;

import io.grpc.Status;
import java.time.Duration;
import java.util.Optional;

/**
 * RESOURCE_EXHAUSTED: a quota or rate limit was exceeded, or the message is too large. {@link
 * #retryAfter()} says when trying again may succeed, when the server said.
 */
public final class ResourceExhaustedException extends MaasException {

  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  /**
   * An exception with the server's description, its retry delay and the gRPC exception.
   *
   * @param retryAfter when to try again, or null when the server gave no delay or said not to
   */
  public ResourceExhaustedException(String description, Duration retryAfter, Throwable cause) {
    super(Status.Code.RESOURCE_EXHAUSTED, description, cause);
    this.retryAfter = retryAfter;
  }

  /** How long to wait before trying again; empty when the server gave no delay. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public boolean isRetryable() {
    return retryAfter != null;
  }
}
