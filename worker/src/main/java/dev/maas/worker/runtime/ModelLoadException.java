package dev.maas.worker.runtime;

/**
 * A SavedModel could not be loaded or is not servable; the message is safe to show to its owner.
 */
public final class ModelLoadException extends Exception {

  /** A failure with a human-readable reason. */
  public ModelLoadException(String message) {
    super(message);
  }

  /** A failure with a human-readable reason and the exception that caused it. */
  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
