package dev.maas.controlplane.model;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.List;

/**
 * One version of a model, as stored.
 *
 * @param modelId the id of the model it belongs to
 * @param reason why the version FAILED; empty otherwise
 * @param sha256 hex SHA-256 of the uploaded archive, once the upload finished; for a READY or
 *     RETIRED version it names the tenant's artifact in the {@code ArtifactStore}
 * @param sizeBytes size of the uploaded archive, once the upload finished
 * @param signatures the SavedModel's signatures; empty unless the version passed validation
 */
public record ModelVersion(
    String tenant,
    String model,
    long modelId,
    long version,
    VersionState state,
    String reason,
    @Nullable String sha256,
    @Nullable Long sizeBytes,
    List<ModelSignature> signatures,
    Instant createdAt,
    Instant updatedAt) {

  public ModelVersion {
    signatures = List.copyOf(signatures);
  }
}
