package dev.maas.sdk.admin;

/** Told how far an upload has come; called on a gRPC thread, so it must return quickly. */
@FunctionalInterface
public interface UploadProgress {

  /** Does nothing. */
  UploadProgress NONE = (sent, total) -> {};

  /**
   * Called after each chunk is handed to the transport.
   *
   * @param sentBytes bytes of the archive sent so far
   * @param totalBytes size of the whole archive
   */
  void onProgress(long sentBytes, long totalBytes);
}
