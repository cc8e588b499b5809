package dev.maas.controlplane.upload;

/** An uploaded archive that fails validation; the message is the version's FAILED reason. */
final class RejectedArchiveException extends Exception {

  RejectedArchiveException(String reason) {
    super(reason, null, false, false);
  }
}
