package dev.maas.controlplane.upload;

import com.google.protobuf.ByteString;
import dev.maas.controlplane.artifact.ArtifactCatalog;
import dev.maas.controlplane.audit.AuditLog;
import dev.maas.controlplane.auth.Access;
import dev.maas.controlplane.auth.Principal;
import dev.maas.controlplane.db.Database;
import dev.maas.controlplane.model.Model;
import dev.maas.controlplane.model.ModelService;
import dev.maas.controlplane.model.ModelSignature;
import dev.maas.controlplane.model.ModelVersion;
import dev.maas.controlplane.model.VersionRepository;
import dev.maas.controlplane.model.VersionService;
import dev.maas.controlplane.problem.Problem;
import dev.maas.controlplane.quota.QuotaService;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Runs uploads of model versions: allocates the version (UPLOADING), receives the archive, then
 * checks it (VALIDATING) and stores it (READY) or records why not (FAILED). Blocking: call it from
 * gRPC's executor threads.
 */
@Singleton
final class UploadService {

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final Database database;
  private final QuotaService quotas;
  private final ArtifactCatalog artifacts;
  private final UploadConfig config;
  private final Path directory;
  private final ArchiveInspector inspector;
  private final long touchIntervalNanos;

  /** Takes the recovery so that it has run before the first upload can begin. */
  UploadService(
      Database database,
      QuotaService quotas,
      ArtifactCatalog artifacts,
      UploadConfig config,
      UploadRecovery recovery) {
    this.database = database;
    this.quotas = quotas;
    this.artifacts = artifacts;
    this.config = config;
    this.directory = recovery.ownDirectory();
    this.inspector = new ArchiveInspector(config.maxFiles(), config.maxUnpackedBytes());
    // Often enough that no other replica takes a live upload for stale.
    this.touchIntervalNanos =
        Math.min(Duration.ofMinutes(1).toNanos(), config.staleAfter().dividedBy(4).toNanos());
  }

  /**
   * Begins an upload of the next version of a model.
   *
   * @throws Problem NOT_FOUND for a missing (or another tenant's) model, RESOURCE_EXHAUSTED when
   *     the tenant's storage quota is used up
   */
  UploadSession begin(Principal caller, String tenant, String modelName) {
    Access.requireTenant(caller, tenant);
    record Begun(Model model, long version, UploadSession.Limits limits) {}
    Begun begun =
        database.transaction(
            connection -> {
              Model model = ModelService.requireModel(connection, tenant, modelName, true);
              long limit = quotas.effective(connection, tenant).maxStorageBytes();
              long used = artifacts.usedBytes(connection, tenant);
              if (used >= limit) {
                throw ArtifactCatalog.storageExhausted(tenant, used, limit);
              }
              long version =
                  VersionRepository.insertUploading(connection, model.id(), config.instanceId());
              AuditLog.record(
                  connection,
                  caller,
                  tenant,
                  "version.upload",
                  VersionService.target(model, version),
                  null,
                  VersionRepository.find(connection, model.id(), version).orElseThrow());
              return new Begun(
                  model, version, new UploadSession.Limits(config.maxArchiveBytes(), used, limit));
            });
    Path file =
        directory.resolve(begun.model().id() + "-" + begun.version() + "-" + UUID.randomUUID());
    try {
      Files.createDirectories(directory);
      return new UploadSession(caller, begun.model(), begun.version(), file, begun.limits());
    } catch (IOException e) {
      database.transaction(
          connection ->
              VersionRepository.markFailed(
                  connection,
                  begun.model().id(),
                  begun.version(),
                  "the control plane cannot write the upload",
                  null,
                  null));
      throw new UncheckedIOException("cannot create upload file " + file, e);
    }
  }

  /**
   * Appends the next bytes of the archive.
   *
   * @throws Problem RESOURCE_EXHAUSTED past the maximum archive size or the storage quota
   */
  void append(UploadSession session, ByteString chunk) {
    try {
      session.append(chunk);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write upload file " + session.file(), e);
    }
    if (session.touchDue(touchIntervalNanos)) {
      database.transaction(
          connection -> {
            VersionRepository.touch(connection, session.model().id(), session.version());
            return null;
          });
    }
  }

  /**
   * Ends the upload: checks what was received against what the client says it sent, validates the
   * archive, stores it and marks the version READY; or marks it FAILED with the reason.
   *
   * @return the version, READY or FAILED
   * @throws Problem INVALID_ARGUMENT for a malformed SHA-256, RESOURCE_EXHAUSTED when storing would
   *     exceed the storage quota, FAILED_PRECONDITION when the version was ended meanwhile
   */
  ModelVersion finish(UploadSession session, String sha256, long sizeBytes) {
    String claimed = sha256.toLowerCase(Locale.ROOT);
    if (!SHA256.matcher(claimed).matches()) {
      throw Problem.invalid("finish.sha256 must be 64 hex digits, got '" + sha256 + "'");
    }
    String received;
    try {
      received = session.finishWriting();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write upload file " + session.file(), e);
    }
    if (!database.transaction(
        c -> VersionRepository.startValidating(c, session.model().id(), session.version()))) {
      throw Problem.failedPrecondition(describe(session) + " is no longer uploading");
    }
    if (session.received() != sizeBytes) {
      return fail(
          session,
          "size mismatch: finish says " + sizeBytes + " bytes, " + session.received() + " arrived",
          received);
    }
    if (!received.equals(claimed)) {
      return fail(
          session,
          "SHA-256 mismatch: finish says " + claimed + ", what arrived has " + received,
          received);
    }
    List<ModelSignature> signatures;
    try {
      signatures = inspector.inspect(session.file());
    } catch (RejectedArchiveException e) {
      return fail(session, e.getMessage(), received);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read upload file " + session.file(), e);
    }
    return store(session, received, signatures);
  }

  /** Stores the validated archive and marks the version READY, in the transaction recording it. */
  private ModelVersion store(
      UploadSession session, String sha256, List<ModelSignature> signatures) {
    Model model = session.model();
    return artifacts.store(
        model.tenant(),
        sha256,
        session.received(),
        session.file(),
        connection -> {
          if (!VersionRepository.markReady(
              connection, model.id(), session.version(), sha256, session.received(), signatures)) {
            throw Problem.failedPrecondition(describe(session) + " is no longer validating");
          }
          ModelVersion ready =
              VersionRepository.find(connection, model.id(), session.version()).orElseThrow();
          AuditLog.record(
              connection,
              session.caller(),
              model.tenant(),
              "version.ready",
              VersionService.target(model, session.version()),
              null,
              ready);
          return ready;
        });
  }

  /**
   * Marks the upload FAILED with {@code reason}, if it has not ended yet, recording the digest of
   * what arrived if known; returns the version as it is then.
   */
  ModelVersion fail(UploadSession session, String reason, String sha256) {
    Model model = session.model();
    return database.transaction(
        connection -> {
          boolean failed =
              VersionRepository.markFailed(
                  connection,
                  model.id(),
                  session.version(),
                  reason,
                  sha256,
                  sha256 == null ? null : session.received());
          ModelVersion version =
              VersionRepository.find(connection, model.id(), session.version())
                  .orElseThrow(() -> Problem.notFound(describe(session) + " was deleted"));
          if (failed) {
            AuditLog.record(
                connection,
                session.caller(),
                model.tenant(),
                "version.fail",
                VersionService.target(model, session.version()),
                null,
                version);
          }
          return version;
        });
  }

  private static String describe(UploadSession session) {
    return "version " + session.version() + " of model '" + session.model().name() + "'";
  }
}
