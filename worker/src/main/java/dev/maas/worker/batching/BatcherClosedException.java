package dev.maas.worker.batching;

/** The model version is unloading and takes no new requests. */
public final class BatcherClosedException extends RuntimeException {

  public BatcherClosedException(String model) {
    super("model '" + model + "' is unloading", null, false, false);
  }
}
