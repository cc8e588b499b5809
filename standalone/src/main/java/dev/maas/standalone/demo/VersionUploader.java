package dev.maas.standalone.demo;

import com.google.protobuf.ByteString;
import dev.maas.proto.admin.v1.ModelServiceGrpc;
import dev.maas.proto.admin.v1.ModelVersion;
import dev.maas.proto.admin.v1.UploadVersionRequest;
import dev.maas.proto.admin.v1.UploadVersionResponse;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Uploads a version with the admin API's client-streaming {@code UploadVersion} rpc. */
public final class VersionUploader {

  private static final int CHUNK_BYTES = 1 << 20;
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final Channel admin;

  /** An uploader over {@code admin}, a channel that carries an admin credential. */
  public VersionUploader(Channel admin) {
    this.admin = admin;
  }

  /**
   * Uploads {@code archive} as the next version of {@code tenant}'s {@code model}: start, 1 MiB
   * chunks, finish with its SHA-256 and size.
   *
   * @return the version, READY or FAILED with the reason
   * @throws StatusRuntimeException with the call's status when the call itself fails
   */
  public ModelVersion upload(String tenant, String model, SavedModelArchive archive) {
    CompletableFuture<UploadVersionResponse> answer = new CompletableFuture<>();
    StreamObserver<UploadVersionRequest> requests =
        ModelServiceGrpc.newStub(admin)
            .withDeadlineAfter(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .uploadVersion(completing(answer));
    requests.onNext(
        UploadVersionRequest.newBuilder()
            .setStart(UploadVersionRequest.Start.newBuilder().setTenant(tenant).setModel(model))
            .build());
    byte[] bytes = archive.bytes();
    for (int offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
      int length = Math.min(CHUNK_BYTES, bytes.length - offset);
      requests.onNext(
          UploadVersionRequest.newBuilder()
              .setChunk(ByteString.copyFrom(bytes, offset, length))
              .build());
    }
    requests.onNext(
        UploadVersionRequest.newBuilder()
            .setFinish(
                UploadVersionRequest.Finish.newBuilder()
                    .setSha256(archive.sha256())
                    .setSizeBytes(bytes.length))
            .build());
    requests.onCompleted();
    return await(answer).getVersion();
  }

  private static UploadVersionResponse await(CompletableFuture<UploadVersionResponse> answer) {
    try {
      return answer.get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException status) {
        throw status;
      }
      throw Status.fromThrowable(e.getCause()).asRuntimeException();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted").withCause(e).asRuntimeException();
    } catch (TimeoutException e) {
      throw Status.DEADLINE_EXCEEDED
          .withDescription("no answer to the upload")
          .withCause(e)
          .asRuntimeException();
    }
  }

  private static StreamObserver<UploadVersionResponse> completing(
      CompletableFuture<UploadVersionResponse> answer) {
    return new StreamObserver<>() {
      @Override
      public void onNext(UploadVersionResponse response) {
        answer.complete(response);
      }

      @Override
      public void onError(Throwable error) {
        answer.completeExceptionally(error);
      }

      @Override
      public void onCompleted() {
        answer.completeExceptionally(
            Status.INTERNAL.withDescription("upload ended without an answer").asException());
      }
    };
  }
}
