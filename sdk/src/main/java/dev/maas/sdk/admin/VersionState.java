package dev.maas.sdk.admin;

/** The state of a model version. */
public enum VersionState {
  /** The upload stream is open. */
  UPLOADING,
  /** The archive has arrived and is being checked and stored. */
  VALIDATING,
  /** Checked and stored; immutable; may be deployed. */
  READY,
  /** The upload or its checks failed; the version's reason says why. */
  FAILED,
  /** No longer deployable. */
  RETIRED,
  /** A state this SDK does not know (a newer server). */
  UNKNOWN;

  /** Whether the version will not change state by itself any more. */
  public boolean isSettled() {
    return this != UPLOADING && this != VALIDATING;
  }
}
