package dev.maas.gateway.routing;

/** The request names no model, a malformed version, or is no valid message; INVALID_ARGUMENT. */
public final class InvalidRequestException extends RuntimeException {

  public InvalidRequestException(String message) {
    super(message);
  }
}
