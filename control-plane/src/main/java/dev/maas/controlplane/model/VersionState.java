package dev.maas.controlplane.model;

/** The lifecycle of a model version (DESIGN.md §5). */
public enum VersionState {
  /** The upload stream is open. */
  UPLOADING,
  /** The upload is complete and its archive is being checked and stored. */
  VALIDATING,
  /** Checked and stored; immutable; may be deployed. */
  READY,
  /** The upload or its checks failed; the version's reason says why. */
  FAILED,
  /** No longer deployable. */
  RETIRED
}
