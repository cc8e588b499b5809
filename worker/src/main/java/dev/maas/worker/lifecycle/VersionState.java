package dev.maas.worker.lifecycle;

/** The state of one model version, with Triton's names. */
public enum VersionState {
  /** Being loaded and warmed up; takes no traffic yet. */
  LOADING,
  /** Serving. */
  READY,
  /** Draining its queue before it is released. */
  UNLOADING,
  /** Failed to load; the reason says why. */
  UNAVAILABLE
}
