package dev.maas.controlplane.problem;

/**
 * A request the control plane refuses, with a message the caller can act on. The gRPC front end
 * maps each {@link Kind} to its status code in one place.
 */
public final class Problem extends RuntimeException {

  /** What kind of refusal, following DESIGN.md §8. */
  public enum Kind {
    INVALID_ARGUMENT,
    NOT_FOUND,
    ALREADY_EXISTS,
    PERMISSION_DENIED,
    UNAUTHENTICATED,
    FAILED_PRECONDITION,
    RESOURCE_EXHAUSTED,
    UNAVAILABLE
  }

  private final Kind kind;

  private Problem(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  /** What kind of refusal. */
  public Kind kind() {
    return kind;
  }

  /** A malformed or out-of-range argument. */
  public static Problem invalid(String message) {
    return new Problem(Kind.INVALID_ARGUMENT, message);
  }

  /** Something that does not exist, or belongs to another tenant. */
  public static Problem notFound(String message) {
    return new Problem(Kind.NOT_FOUND, message);
  }

  /** A name that is taken. */
  public static Problem alreadyExists(String message) {
    return new Problem(Kind.ALREADY_EXISTS, message);
  }

  /** A caller who may not do this. */
  public static Problem permissionDenied(String message) {
    return new Problem(Kind.PERMISSION_DENIED, message);
  }

  /** A caller who is not who they claim. */
  public static Problem unauthenticated(String message) {
    return new Problem(Kind.UNAUTHENTICATED, message);
  }

  /** A request that does not fit the current state. */
  public static Problem failedPrecondition(String message) {
    return new Problem(Kind.FAILED_PRECONDITION, message);
  }

  /** A quota that would be exceeded. */
  public static Problem resourceExhausted(String message) {
    return new Problem(Kind.RESOURCE_EXHAUSTED, message);
  }

  /** A dependency that is down for now; retrying may succeed. */
  public static Problem unavailable(String message) {
    return new Problem(Kind.UNAVAILABLE, message);
  }
}
