package dev.maas.worker.batching;

/** A request left the queue without running: its deadline passed or its caller cancelled it. */
public final class RequestExpiredException extends RuntimeException {

  /** Why the request left the queue. */
  public enum Reason {
    DEADLINE_EXCEEDED,
    CANCELLED
  }

  private final Reason reason;

  public RequestExpiredException(Reason reason) {
    super(
        reason == Reason.CANCELLED
            ? "request cancelled before it ran"
            : "deadline exceeded while the request waited in the queue",
        null,
        false,
        false);
    this.reason = reason;
  }

  /** Why the request left the queue. */
  public Reason reason() {
    return reason;
  }
}
