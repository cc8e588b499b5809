package dev.maas.gateway.snapshot;

/** Thrown while the gateway has never received a routing snapshot; callers see UNAVAILABLE. */
public final class NoSnapshotException extends RuntimeException {

  public NoSnapshotException() {
    super("the gateway has no routing snapshot yet; retry shortly");
  }
}
