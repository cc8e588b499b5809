package dev.maas.worker.lifecycle;

/** The model, or the version asked for, is not held by this worker. */
public final class ModelNotFoundException extends RuntimeException {

  public ModelNotFoundException(String message) {
    super(message, null, false, false);
  }
}
