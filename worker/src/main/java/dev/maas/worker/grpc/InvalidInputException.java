package dev.maas.worker.grpc;

/** A request does not fit the model's signature; the message names the input and the mismatch. */
public final class InvalidInputException extends RuntimeException {

  public InvalidInputException(String message) {
    super(message, null, false, false);
  }
}
