package dev.maas.gateway.quota;

import java.time.Duration;
import java.util.Locale;

/**
 * A call exceeds one of its tenant's limits; callers see RESOURCE_EXHAUSTED with {@link
 * #retryAfter()} as {@code google.rpc.RetryInfo}.
 */
public final class QuotaExceededException extends RuntimeException {

  /** Which limit was exceeded; also the {@code reason} label of the rejection metric. */
  public enum Limit {
    REQUEST_RATE,
    MODEL_RATE,
    CONCURRENCY,
    REQUEST_BYTES,
    MONTHLY_REQUESTS;

    /** The metric label: {@code request_rate} and so on. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Limit limit;
  private final Duration retryAfter;
  private final boolean retryable;

  /**
   * A rejection.
   *
   * @param retryAfter when trying again may succeed
   * @param retryable whether a client should retry automatically (false for the monthly quota,
   *     whose wait is long, and for a request too large ever to pass)
   */
  public QuotaExceededException(
      Limit limit, String message, Duration retryAfter, boolean retryable) {
    super(message);
    this.limit = limit;
    this.retryAfter = retryAfter;
    this.retryable = retryable;
  }

  /** The limit that was exceeded. */
  public Limit limit() {
    return limit;
  }

  /** When trying again may succeed; {@link Duration#ZERO} when it never will as sent. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** Whether a client should retry automatically after {@link #retryAfter()}. */
  public boolean retryable() {
    return retryable;
  }
}
