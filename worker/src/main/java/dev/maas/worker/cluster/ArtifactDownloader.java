package dev.maas.worker.cluster;

import dev.maas.proto.cluster.v1.ArtifactChunk;
import dev.maas.proto.cluster.v1.ArtifactServiceGrpc;
import dev.maas.proto.cluster.v1.Assignment;
import dev.maas.proto.cluster.v1.DownloadArtifactRequest;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Set;

/**
 * Fetches an assignment's artifact from the control plane into a file, checking its size and
 * SHA-256 while the bytes stream in, so a wrong artifact is never unpacked.
 */
final class ArtifactDownloader {

  /** Answers of the control plane that fetching again would not change. */
  private static final Set<Status.Code> PERMANENT =
      EnumSet.of(
          Status.Code.NOT_FOUND, Status.Code.INVALID_ARGUMENT, Status.Code.FAILED_PRECONDITION);

  private final ArtifactServiceGrpc.ArtifactServiceBlockingStub artifacts;

  ArtifactDownloader(ArtifactServiceGrpc.ArtifactServiceBlockingStub artifacts) {
    this.artifacts = artifacts;
  }

  /**
   * Writes the artifact into {@code target} (created or replaced).
   *
   * @throws ArtifactRejectedException when the bytes do not match the assignment's size or SHA-256,
   *     or the control plane answers that the artifact cannot be had
   * @throws StatusRuntimeException when the control plane cannot be reached now
   * @throws IOException when the file cannot be written
   */
  void download(Assignment assignment, Path target) throws IOException, ArtifactRejectedException {
    long expectedSize = assignment.getArtifactSizeBytes();
    MessageDigest digest = sha256();
    long received = 0;
    DownloadArtifactRequest request =
        DownloadArtifactRequest.newBuilder()
            .setTenant(assignment.getTenant())
            .setSha256(assignment.getArtifactSha256())
            .build();
    // A blocking server stream must be read to its end or cancelled; the context cancels it when
    // the download stops early.
    Context.CancellableContext call = Context.current().withCancellation();
    Context previous = call.attach();
    try (OutputStream out = Files.newOutputStream(target)) {
      Iterator<ArtifactChunk> chunks = artifacts.downloadArtifact(request);
      while (chunks.hasNext()) {
        ArtifactChunk chunk = chunks.next();
        received += chunk.getData().size();
        if (received > expectedSize) {
          throw new ArtifactRejectedException(
              "artifact is larger than the " + expectedSize + " bytes assigned");
        }
        chunk.getData().writeTo(out);
        for (var buffer : chunk.getData().asReadOnlyByteBufferList()) {
          digest.update(buffer);
        }
      }
    } catch (StatusRuntimeException e) {
      if (PERMANENT.contains(e.getStatus().getCode())) {
        throw new ArtifactRejectedException(
            "the control plane refused the artifact: " + e.getStatus().getDescription(), e);
      }
      throw e;
    } finally {
      call.detach(previous);
      call.cancel(null);
    }
    if (received != expectedSize) {
      throw new ArtifactRejectedException(
          "artifact has " + received + " bytes, the assignment says " + expectedSize);
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equalsIgnoreCase(assignment.getArtifactSha256())) {
      throw new ArtifactRejectedException(
          "artifact SHA-256 is "
              + actual
              + ", the assignment says "
              + assignment.getArtifactSha256());
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
