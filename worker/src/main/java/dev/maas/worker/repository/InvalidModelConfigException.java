package dev.maas.worker.repository;

/** A model's config.json cannot be used; the message says which field and why. */
public final class InvalidModelConfigException extends RuntimeException {

  public InvalidModelConfigException(String message, Throwable cause) {
    super("invalid config.json: " + message, cause);
  }
}
