package dev.maas.controlplane.upload;

import com.google.protobuf.ByteString;
import dev.maas.controlplane.artifact.ArtifactCatalog;
import dev.maas.controlplane.auth.Principal;
import dev.maas.controlplane.model.Model;
import dev.maas.controlplane.problem.Problem;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One upload in progress: its version, and the archive streaming into a temporary file while its
 * SHA-256 and size are counted. Not thread-safe: one gRPC call's callbacks, which grpc-java runs
 * one at a time, use it.
 *
 * @see UploadService
 */
final class UploadSession implements AutoCloseable {

  private final Principal caller;
  private final Model model;
  private final long version;
  private final Path file;
  private final Limits limits;
  private final MessageDigest digest;
  private OutputStream out;
  private long received;
  private long lastTouchNanos = System.nanoTime();

  /**
   * What may be received.
   *
   * @param maxArchiveBytes the most bytes an upload may have
   * @param storageUsedBytes the tenant's stored bytes when the upload began
   * @param storageLimitBytes the tenant's max_storage_bytes
   */
  record Limits(long maxArchiveBytes, long storageUsedBytes, long storageLimitBytes) {}

  /** Creates the temporary file; it exists until {@link #close()}. */
  UploadSession(Principal caller, Model model, long version, Path file, Limits limits)
      throws IOException {
    this.caller = caller;
    this.model = model;
    this.version = version;
    this.file = file;
    this.limits = limits;
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM lacks SHA-256", e);
    }
    this.out =
        new DigestOutputStream(
            new BufferedOutputStream(
                Files.newOutputStream(file, StandardOpenOption.CREATE_NEW), 1 << 18),
            digest);
  }

  Principal caller() {
    return caller;
  }

  Model model() {
    return model;
  }

  long version() {
    return version;
  }

  Path file() {
    return file;
  }

  long received() {
    return received;
  }

  /**
   * Appends the next bytes of the archive.
   *
   * @throws Problem RESOURCE_EXHAUSTED past the maximum archive size or the tenant's storage quota
   */
  void append(ByteString chunk) throws IOException {
    long total = received + chunk.size();
    if (total > limits.maxArchiveBytes()) {
      throw Problem.resourceExhausted(
          "the archive is larger than the maximum upload size of "
              + limits.maxArchiveBytes()
              + " bytes (maas.upload.max-archive-bytes)");
    }
    if (limits.storageUsedBytes() + total > limits.storageLimitBytes()) {
      throw ArtifactCatalog.storageExhausted(
          model.tenant(), limits.storageUsedBytes(), limits.storageLimitBytes());
    }
    chunk.writeTo(out);
    received = total;
  }

  /** Whether {@code interval} has passed since the last call that answered true. */
  boolean touchDue(long intervalNanos) {
    long now = System.nanoTime();
    if (now - lastTouchNanos < intervalNanos) {
      return false;
    }
    lastTouchNanos = now;
    return true;
  }

  /** Ends writing; returns the hex SHA-256 of what was received. */
  String finishWriting() throws IOException {
    out.close();
    out = null;
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Closes and deletes the temporary file; repeatable. */
  @Override
  public void close() throws IOException {
    try {
      if (out != null) {
        out.close();
        out = null;
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
