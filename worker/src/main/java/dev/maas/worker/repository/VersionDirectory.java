package dev.maas.worker.repository;

import java.nio.file.Path;

/**
 * One version directory of a model.
 *
 * @param fingerprint changes whenever a file of the version or the model's config.json changes
 */
public record VersionDirectory(long version, Path path, String fingerprint) {}
