package dev.maas.sdk.internal;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import com.google.protobuf.ByteString;
import dev.maas.proto.admin.v1.UploadVersionRequest;
import dev.maas.proto.admin.v1.UploadVersionResponse;
import dev.maas.sdk.admin.UploadProgress;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * One UploadVersion stream: {@code start}, the archive in 1 MiB chunks, then {@code finish} with
 * the SHA-256 and size of what was sent. Chunks are sent only as fast as the transport takes them
 * (gRPC flow control: the stream's on-ready handler), so memory stays at a chunk or two whatever
 * the archive's size. Cancelling {@link #result()} cancels the stream.
 */
public final class UploadCall
    implements ClientResponseObserver<UploadVersionRequest, UploadVersionResponse> {

  /** Bytes per chunk message. */
  public static final int CHUNK_BYTES = 1 << 20;

  private final String tenant;
  private final String model;
  private final SavedModelArchive archive;
  private final UploadProgress progress;
  private final MessageDigest digest = sha256();
  private final Outcome result = new Outcome();

  @GuardedBy("this")
  private ClientCallStreamObserver<UploadVersionRequest> requests;

  @GuardedBy("this")
  private InputStream bytes;

  @GuardedBy("this")
  private boolean started;

  @GuardedBy("this")
  private boolean ended;

  @GuardedBy("this")
  private long sent;

  private volatile String sentSha256 = "";

  /** An upload of {@code archive} as the next version of {@code tenant}'s {@code model}. */
  public UploadCall(
      String tenant, String model, SavedModelArchive archive, UploadProgress progress) {
    this.tenant = tenant;
    this.model = model;
    this.archive = archive;
    this.progress = progress;
  }

  /** Completes with the server's answer, or exceptionally with the SDK's exception. */
  public CompletableFuture<UploadVersionResponse> result() {
    return result;
  }

  /** The hex SHA-256 of the archive sent; empty until the whole archive was sent. */
  public String sentSha256() {
    return sentSha256;
  }

  /** The archive's size. */
  public long size() {
    return archive.size();
  }

  @Override
  public synchronized void beforeStart(
      ClientCallStreamObserver<UploadVersionRequest> requestStream) {
    this.requests = requestStream;
    requestStream.setOnReadyHandler(this::pump);
  }

  /** Sends while the transport is ready; called by gRPC whenever it becomes ready again. */
  private synchronized void pump() {
    try {
      while (!ended && requests.isReady()) {
        if (!started) {
          started = true;
          bytes = archive.open();
          requests.onNext(
              UploadVersionRequest.newBuilder()
                  .setStart(
                      UploadVersionRequest.Start.newBuilder().setTenant(tenant).setModel(model))
                  .build());
          continue;
        }
        byte[] chunk = bytes.readNBytes(CHUNK_BYTES);
        if (chunk.length == 0) {
          finish();
          return;
        }
        digest.update(chunk);
        sent += chunk.length;
        requests.onNext(
            UploadVersionRequest.newBuilder().setChunk(ByteString.copyFrom(chunk)).build());
        progress.onProgress(sent, archive.size());
      }
    } catch (IOException | RuntimeException e) {
      ended = true;
      closeQuietly();
      requests.cancel("the client could not read the archive", e);
      result.completeExceptionally(
          e instanceof IOException io ? new UncheckedIOException(io.getMessage(), io) : e);
    }
  }

  @GuardedBy("this")
  private void finish() {
    ended = true;
    closeQuietly();
    sentSha256 = HexFormat.of().formatHex(digest.digest());
    requests.onNext(
        UploadVersionRequest.newBuilder()
            .setFinish(
                UploadVersionRequest.Finish.newBuilder().setSha256(sentSha256).setSizeBytes(sent))
            .build());
    requests.onCompleted();
  }

  @GuardedBy("this")
  private void closeQuietly() {
    if (bytes != null) {
      try {
        bytes.close();
      } catch (IOException e) {
        // Only reading was done; nothing is lost.
      }
    }
  }

  @Override
  public void onNext(UploadVersionResponse response) {
    result.complete(response);
  }

  @Override
  public void onError(Throwable error) {
    synchronized (this) {
      ended = true;
      closeQuietly();
    }
    result.completeExceptionally(StatusErrors.toException(error));
  }

  @Override
  public void onCompleted() {
    result.completeExceptionally(new IllegalStateException("the server sent no answer"));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  /** The result future; cancelling it cancels the stream. */
  private final class Outcome extends CompletableFuture<UploadVersionResponse> {
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        synchronized (UploadCall.this) {
          ended = true;
          closeQuietly();
          if (requests != null) {
            requests.cancel("upload cancelled by the caller", null);
          }
        }
      }
      return cancelled;
    }
  }
}
