package dev.maas.worker.batching;

/** The batch queue of a model version is full; the request was refused without waiting. */
public final class QueueFullException extends RuntimeException {

  public QueueFullException(String model, int maxQueueSize) {
    super(
        "the queue of model '"
            + model
            + "' is full ("
            + maxQueueSize
            + " requests waiting); retry later",
        null,
        false,
        false);
  }
}
