package dev.maas.controlplane.upload;

import com.google.protobuf.ByteString;
import dev.maas.proto.admin.v1.ModelServiceGrpc;
import dev.maas.proto.admin.v1.ModelVersion;
import dev.maas.proto.admin.v1.UploadVersionRequest;
import dev.maas.proto.admin.v1.UploadVersionResponse;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Streams uploads to a control plane in tests, as a client of the UploadVersion rpc. */
public final class UploadClient {

  /** The chunk size uploads use. */
  public static final int CHUNK_BYTES = 1 << 20;

  private UploadClient() {}

  /**
   * Uploads {@code archive} as the next version of a model, with its true SHA-256 and size.
   *
   * @throws StatusRuntimeException with the call's status if it fails
   */
  public static ModelVersion upload(Channel channel, String tenant, String model, byte[] archive) {
    return upload(channel, tenant, model, archive, TestArchives.sha256(archive), archive.length);
  }

  /** Uploads {@code archive}, claiming {@code sha256} and {@code sizeBytes} in finish. */
  public static ModelVersion upload(
      Channel channel, String tenant, String model, byte[] archive, String sha256, long sizeBytes) {
    List<UploadVersionRequest> messages = new ArrayList<>();
    messages.add(start(tenant, model));
    for (int offset = 0; offset < archive.length; offset += CHUNK_BYTES) {
      messages.add(
          chunk(
              ByteString.copyFrom(
                  archive, offset, Math.min(CHUNK_BYTES, archive.length - offset))));
    }
    messages.add(finish(sha256, sizeBytes));
    return send(channel, messages);
  }

  /**
   * Sends {@code messages}, half-closes, and waits for the answer.
   *
   * @throws StatusRuntimeException with the call's status if it fails
   */
  public static ModelVersion send(Channel channel, List<UploadVersionRequest> messages) {
    CompletableFuture<UploadVersionResponse> answer = new CompletableFuture<>();
    StreamObserver<UploadVersionRequest> requests =
        ModelServiceGrpc.newStub(channel).uploadVersion(responses(answer));
    for (UploadVersionRequest message : messages) {
      requests.onNext(message);
    }
    requests.onCompleted();
    return await(answer).getVersion();
  }

  /** An observer that completes {@code answer} with the call's response or error. */
  public static StreamObserver<UploadVersionResponse> responses(
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
        answer.completeExceptionally(new IllegalStateException("completed without a response"));
      }
    };
  }

  /** The response, or the call's {@link StatusRuntimeException}. */
  public static UploadVersionResponse await(CompletableFuture<UploadVersionResponse> answer) {
    try {
      return answer.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException status) {
        throw status;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException("no answer to the upload", e);
    }
  }

  /** The start message. */
  public static UploadVersionRequest start(String tenant, String model) {
    return UploadVersionRequest.newBuilder()
        .setStart(UploadVersionRequest.Start.newBuilder().setTenant(tenant).setModel(model))
        .build();
  }

  /** A chunk message. */
  public static UploadVersionRequest chunk(ByteString bytes) {
    return UploadVersionRequest.newBuilder().setChunk(bytes).build();
  }

  /** The finish message. */
  public static UploadVersionRequest finish(String sha256, long sizeBytes) {
    return UploadVersionRequest.newBuilder()
        .setFinish(
            UploadVersionRequest.Finish.newBuilder().setSha256(sha256).setSizeBytes(sizeBytes))
        .build();
  }
}
