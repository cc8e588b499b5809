package dev.maas.controlplane.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

/**
 * Where artifacts (tar archives of SavedModels) live: per tenant, content-addressed by the hex
 * SHA-256 of the archive, encrypted at rest with the tenant's data key. Safe for concurrent use.
 * Which artifacts a tenant owns, and what they cost against its quota, is kept by {@link
 * ArtifactCatalog}; callers that add or remove artifacts go through it. A tenant that is not a
 * tenant name, or a digest that is not 64 lower-case hex digits, has no artifact: {@link #open} and
 * {@link #exists} say so, the methods that change the store throw {@link IllegalArgumentException}.
 */
public interface ArtifactStore {

  /**
   * Stores {@code plaintext} as the tenant's artifact {@code sha256}, replacing a stored copy.
   * Atomic: readers see the old copy, the new one or none, never part of one. The caller vouches
   * that {@code sha256} is the plaintext's digest.
   */
  void put(String tenant, String sha256, Path plaintext) throws IOException;

  /**
   * The plaintext of the tenant's artifact. Reads throw an {@link IOException} if the stored bytes
   * fail authentication (changed, truncated, or another tenant's).
   *
   * @throws java.nio.file.NoSuchFileException if the tenant has no such artifact
   */
  InputStream open(String tenant, String sha256) throws IOException;

  /** Whether the tenant's artifact is stored. */
  boolean exists(String tenant, String sha256);

  /** Deletes the tenant's artifact; deleting a missing one does nothing. */
  void delete(String tenant, String sha256) throws IOException;

  /** The tenants that have stored artifacts. */
  Set<String> tenants() throws IOException;

  /** The SHA-256 of each artifact stored for the tenant. */
  Set<String> list(String tenant) throws IOException;

  /**
   * Removes what {@link #put} calls that never finished (the process died) left behind, if it was
   * last written before {@code before}; returns how many files it removed.
   */
  int removeTemporaryFiles(Instant before) throws IOException;
}
