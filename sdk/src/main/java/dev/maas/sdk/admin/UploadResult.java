package dev.maas.sdk.admin;

/**
 * The outcome of an upload.
 *
 * @param version the new version: READY, or FAILED with the reason
 * @param sha256 hex SHA-256 of the archive as this client sent it
 * @param sizeBytes size of the archive as this client sent it
 */
public record UploadResult(ModelVersion version, String sha256, long sizeBytes) {}
