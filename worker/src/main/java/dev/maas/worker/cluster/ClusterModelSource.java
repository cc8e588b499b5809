package dev.maas.worker.cluster;

import dev.maas.proto.cluster.v1.Assignment;
import dev.maas.proto.cluster.v1.AssignmentSet;
import dev.maas.worker.repository.ModelRepository;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model source of cluster mode: keeps a model repository directory holding exactly the worker's
 * assignments, so that the {@code ModelLifecycle} serves them as it serves any repository. Each
 * assignment becomes {@code <model_id>/1/} (the unpacked artifact) and {@code
 * <model_id>/config.json} (the assignment's config). A model directory appears with one rename and
 * leaves with one, so a scan never sees half of it.
 *
 * <p>{@link #apply} runs on one thread at a time; {@link #failure} may be read from any thread.
 */
final class ClusterModelSource {

  private static final Logger log = LoggerFactory.getLogger(ClusterModelSource.class);

  /** The version directory of every assigned model: the model id already names the version. */
  static final String VERSION = "1";

  static final String CONFIG = "config.json";

  /** The SHA-256 of the artifact a model directory was unpacked from. */
  private static final String ARTIFACT_MARKER = ".artifact-sha256";

  /** Work space inside the repository (the same file system, so renames are atomic). */
  static final String STAGING = ".staging";

  private final Path repository;
  private final Path staging;
  private final ArtifactDownloader downloader;
  private final Runnable reconcile;
  private final ConcurrentHashMap<String, Failure> failures = new ConcurrentHashMap<>();

  /** An assignment whose artifact can never serve; not fetched again while it stays assigned. */
  private record Failure(String sha256, long size, String reason) {
    boolean isFor(Assignment assignment) {
      return sha256.equalsIgnoreCase(assignment.getArtifactSha256())
          && size == assignment.getArtifactSizeBytes();
    }
  }

  /**
   * @param repository the directory the lifecycle serves; created if missing
   * @param reconcile brings the loaded models in line with the directory, before it returns
   */
  ClusterModelSource(Path repository, ArtifactDownloader downloader, Runnable reconcile)
      throws IOException {
    this.repository = repository;
    this.staging = repository.resolve(STAGING);
    this.downloader = downloader;
    this.reconcile = reconcile;
    Files.createDirectories(repository);
    deleteTree(staging);
    Files.createDirectories(staging);
  }

  /**
   * Makes the directory hold exactly the set's models, then has them loaded or unloaded. Models no
   * longer assigned go first, freeing their memory before new ones load.
   *
   * @return false when some artifact could not be fetched now and the set should be applied again
   *     later; true when every assignment is in place or failed for good
   */
  boolean apply(AssignmentSet set) {
    Map<String, Assignment> wanted = new LinkedHashMap<>();
    for (Assignment assignment : set.getAssignmentsList()) {
      wanted.putIfAbsent(assignment.getModelId(), assignment);
    }
    failures.keySet().retainAll(wanted.keySet());
    if (removeAllBut(wanted.keySet())) {
      reconcile.run();
    }
    boolean complete = true;
    for (Assignment assignment : wanted.values()) {
      complete &= place(assignment);
    }
    reconcile.run();
    return complete;
  }

  /** Why the model can never serve as assigned, when that is so. */
  Optional<String> failure(String modelId) {
    return Optional.ofNullable(failures.get(modelId)).map(Failure::reason);
  }

  /** Puts one assignment in place; false when it should be tried again later. */
  private boolean place(Assignment assignment) {
    String modelId = assignment.getModelId();
    Failure failed = failures.get(modelId);
    if (failed != null && failed.isFor(assignment)) {
      return true;
    }
    try {
      if (!ModelRepository.MODEL_NAME.matcher(modelId).matches()) {
        throw new ArtifactRejectedException(
            "model_id '" + modelId + "' is not a valid model directory name");
      }
      Path modelDir = repository.resolve(modelId);
      if (holds(modelDir, assignment)) {
        writeConfig(modelDir, assignment.getConfigJson());
      } else {
        fetch(assignment, modelDir);
      }
      failures.remove(modelId);
      return true;
    } catch (ArtifactRejectedException e) {
      log.warn("model {} cannot be served: {}", modelId, e.getMessage());
      failures.put(
          modelId,
          new Failure(
              assignment.getArtifactSha256(), assignment.getArtifactSizeBytes(), e.getMessage()));
      return true;
    } catch (StatusRuntimeException e) {
      log.warn("cannot fetch model {} now; will try again: {}", modelId, e.getStatus());
      return false;
    } catch (IOException | UncheckedIOException e) {
      log.warn("cannot write model {} now; will try again", modelId, e);
      return false;
    }
  }

  private static boolean holds(Path modelDir, Assignment assignment) throws IOException {
    Path marker = modelDir.resolve(ARTIFACT_MARKER);
    return Files.isDirectory(modelDir.resolve(VERSION))
        && Files.isRegularFile(marker)
        && Files.readString(marker).trim().equalsIgnoreCase(assignment.getArtifactSha256());
  }

  /** Downloads, checks and unpacks an artifact aside, then renames the model into place. */
  private void fetch(Assignment assignment, Path modelDir)
      throws IOException, ArtifactRejectedException {
    Path work = Files.createTempDirectory(staging, "fetch-");
    try {
      Path archive = work.resolve("artifact.tar");
      downloader.download(assignment, archive);
      Path model = work.resolve("model");
      ArtifactUnpacker.unpack(archive, model.resolve(VERSION));
      Files.delete(archive);
      Files.writeString(model.resolve(CONFIG), assignment.getConfigJson(), StandardCharsets.UTF_8);
      Files.writeString(
          model.resolve(ARTIFACT_MARKER), assignment.getArtifactSha256(), StandardCharsets.UTF_8);
      if (Files.exists(modelDir)) {
        // Another artifact under the same id: the old one leaves, the new one loads.
        discard(modelDir);
      }
      Files.move(model, modelDir, StandardCopyOption.ATOMIC_MOVE);
      log.info(
          "model {} fetched ({} bytes, sha256 {})",
          assignment.getModelId(),
          assignment.getArtifactSizeBytes(),
          assignment.getArtifactSha256());
    } finally {
      deleteTree(work);
    }
  }

  /** Replaces config.json with one rename when its text changed; the lifecycle then reloads. */
  private void writeConfig(Path modelDir, String json) throws IOException {
    Path config = modelDir.resolve(CONFIG);
    if (Files.isRegularFile(config) && Files.readString(config).equals(json)) {
      return;
    }
    Path written = Files.createTempFile(staging, "config-", ".json");
    Files.writeString(written, json, StandardCharsets.UTF_8);
    Files.move(
        written, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    log.info("model {} has a new config.json", modelDir.getFileName());
  }

  /** Removes every model directory not named in {@code keep}; true when one was removed. */
  private boolean removeAllBut(Set<String> keep) {
    List<Path> unassigned;
    try (Stream<Path> children = Files.list(repository)) {
      unassigned =
          children
              .filter(Files::isDirectory)
              .filter(dir -> !dir.getFileName().toString().startsWith("."))
              .filter(dir -> !keep.contains(dir.getFileName().toString()))
              .toList();
    } catch (IOException e) {
      log.warn("cannot list {}; keeping what is there", repository, e);
      return false;
    }
    for (Path dir : unassigned) {
      log.info("model {} is no longer assigned; removing it", dir.getFileName());
      try {
        discard(dir);
      } catch (IOException e) {
        log.warn("cannot remove {}", dir, e);
      }
    }
    return !unassigned.isEmpty();
  }

  /** Takes a model directory out of the repository with one rename, then deletes it. */
  private void discard(Path modelDir) throws IOException {
    Path removed = Files.createTempDirectory(staging, "removed-").resolve("model");
    Files.move(modelDir, removed, StandardCopyOption.ATOMIC_MOVE);
    deleteTree(removed.getParent());
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.delete(path);
        } catch (NoSuchFileException gone) {
          // already deleted
        }
      }
    }
  }
}
