package dev.maas.worker.lifecycle;

/** The model exists but no version of it serves now: loading, failed, or unloading. */
public final class ModelUnavailableException extends RuntimeException {

  public ModelUnavailableException(String message) {
    super(message, null, false, false);
  }
}
