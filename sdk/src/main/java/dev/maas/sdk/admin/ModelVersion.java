package dev.maas.sdk.admin;

import java.time.Instant;
import java.util.List;

/**
 * One version of a model.
 *
 * @param tenant the tenant that owns the model
 * @param model the model's name
 * @param version its number, counting from 1 within the model
 * @param state its state
 * @param reason why it FAILED; empty otherwise
 * @param sha256 hex SHA-256 of its archive
 * @param sizeBytes size of its archive
 * @param signatures the SavedModel's signatures, read when it was validated
 * @param createTime when its upload began
 */
public record ModelVersion(
    String tenant,
    String model,
    long version,
    VersionState state,
    String reason,
    String sha256,
    long sizeBytes,
    List<ModelSignature> signatures,
    Instant createTime) {

  /** Copies the signatures. */
  public ModelVersion {
    signatures = List.copyOf(signatures);
  }
}
