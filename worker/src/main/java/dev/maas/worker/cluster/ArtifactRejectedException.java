package dev.maas.worker.cluster;

/**
 * An artifact that can never be served as it is: its bytes do not match the assignment, or the
 * archive is unsafe or no SavedModel. Fetching it again would not help.
 */
final class ArtifactRejectedException extends Exception {

  ArtifactRejectedException(String message) {
    super(message);
  }

  ArtifactRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
