package dev.maas.sdk.admin;

/** The state of one replica of a deployment, as its worker last reported it. */
public enum ReplicaState {
  /** Placed; the worker is loading it. */
  LOADING,
  /** Loaded and answering. */
  SERVING,
  /** The worker could not load or run it; the replica's reason says why. */
  FAILED,
  /** A state this SDK does not know (a newer server). */
  UNKNOWN
}
