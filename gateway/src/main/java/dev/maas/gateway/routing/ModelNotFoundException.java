package dev.maas.gateway.routing;

/**
 * The caller's tenant has no such model or version; callers see NOT_FOUND. Another tenant's model
 * and an internal model id get exactly the text of a missing model.
 */
public final class ModelNotFoundException extends RuntimeException {

  public ModelNotFoundException(String message) {
    super(message);
  }
}
