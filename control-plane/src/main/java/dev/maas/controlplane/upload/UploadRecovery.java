package dev.maas.controlplane.upload;

import dev.maas.controlplane.artifact.ArtifactCatalog;
import dev.maas.controlplane.artifact.ArtifactStore;
import dev.maas.controlplane.config.MaasConfig;
import dev.maas.controlplane.db.Database;
import dev.maas.controlplane.model.ModelVersion;
import dev.maas.controlplane.model.VersionRepository;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans up after a crash, once at startup and before uploads are served: versions this replica
 * left UPLOADING or VALIDATING (and other replicas' stale ones) become FAILED, and temporary files
 * of uploads and of artifact writes are removed, as are stored files no artifact row records. So no
 * READY version is left without its artifact, and no file without its version.
 */
@Context
final class UploadRecovery {

  /** The reason given to uploads a restart interrupted. */
  static final String INTERRUPTED = "interrupted by a restart of the control plane";

  private static final Logger log = LoggerFactory.getLogger(UploadRecovery.class);

  private final Database database;
  private final ArtifactStore store;
  private final ArtifactCatalog catalog;
  private final UploadConfig config;
  private final Path uploads;

  UploadRecovery(
      Database database,
      ArtifactStore store,
      ArtifactCatalog catalog,
      UploadConfig config,
      MaasConfig maas) {
    this.database = database;
    this.store = store;
    this.catalog = catalog;
    this.config = config;
    this.uploads = maas.dataDir().resolve("uploads");
  }

  /** Where this replica writes the archives it receives: {@code <data-dir>/uploads/<instance>}. */
  Path ownDirectory() {
    return uploads.resolve(config.instanceId());
  }

  @PostConstruct
  void recover() throws IOException {
    List<ModelVersion> failed =
        database.transaction(
            connection ->
                VersionRepository.failUnfinished(
                    connection, config.instanceId(), config.staleAfter(), INTERRUPTED));
    for (ModelVersion version : failed) {
      log.warn(
          "upload of version {} of model {}/{} was interrupted; marked FAILED",
          version.version(),
          version.tenant(),
          version.model());
    }
    Instant staleBefore = Instant.now().minus(config.staleAfter());
    int uploadFiles = removeUploadFiles(staleBefore);
    int temporaryFiles = store.removeTemporaryFiles(staleBefore);
    int orphans = catalog.removeOrphans();
    if (uploadFiles + temporaryFiles + orphans > 0) {
      log.info(
          "removed {} unfinished upload files, {} unfinished artifact files and {} unrecorded"
              + " artifacts",
          uploadFiles,
          temporaryFiles,
          orphans);
    }
  }

  /** Removes every file of this replica's uploads, and other replicas' stale ones. */
  private int removeUploadFiles(Instant staleBefore) throws IOException {
    if (!Files.isDirectory(uploads)) {
      return 0;
    }
    int removed = 0;
    try (Stream<Path> directories = Files.list(uploads)) {
      for (Path directory : (Iterable<Path>) directories::iterator) {
        if (!Files.isDirectory(directory)) {
          continue;
        }
        boolean own = directory.equals(ownDirectory());
        try (Stream<Path> files = Files.list(directory)) {
          for (Path file : (Iterable<Path>) files::iterator) {
            if ((own || lastModified(file).isBefore(staleBefore)) && Files.deleteIfExists(file)) {
              removed++;
            }
          }
        }
      }
    }
    return removed;
  }

  /** When the file was last written; the far future if it is gone already. */
  private static Instant lastModified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toInstant();
    } catch (IOException e) {
      return Instant.MAX;
    }
  }
}
