package dev.maas.gateway.routing;

/** No worker serves the model (version) now; callers see UNAVAILABLE and may retry. */
public final class NoServingReplicaException extends RuntimeException {

  public NoServingReplicaException(String message) {
    super(message);
  }
}
