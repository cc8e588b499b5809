package dev.maas.controlplane.cluster;

import com.google.protobuf.ByteString;
import dev.maas.controlplane.artifact.ArtifactStore;
import dev.maas.controlplane.grpc.ClusterApi;
import dev.maas.proto.cluster.v1.ArtifactChunk;
import dev.maas.proto.cluster.v1.ArtifactServiceGrpc;
import dev.maas.proto.cluster.v1.DownloadArtifactRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams an artifact's plaintext to a worker in 1 MiB chunks, as fast as the worker reads: a chunk
 * is sent only while the stream is ready, so a slow reader never fills the server's memory.
 */
@Singleton
final class ArtifactGrpcService extends ArtifactServiceGrpc.ArtifactServiceImplBase
    implements ClusterApi {

  private static final Logger log = LoggerFactory.getLogger(ArtifactGrpcService.class);
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final int CHUNK = 1024 * 1024;

  private final ArtifactStore store;

  ArtifactGrpcService(ArtifactStore store) {
    this.store = store;
  }

  @Override
  public void downloadArtifact(
      DownloadArtifactRequest request, StreamObserver<ArtifactChunk> responseObserver) {
    if (!SHA256.matcher(request.getSha256()).matches()) {
      responseObserver.onError(
          Status.INVALID_ARGUMENT
              .withDescription("sha256 must be 64 lower-case hex digits")
              .asRuntimeException());
      return;
    }
    InputStream in;
    try {
      in = store.open(request.getTenant(), request.getSha256());
    } catch (NoSuchFileException e) {
      responseObserver.onError(
          Status.NOT_FOUND
              .withDescription("artifact " + request.getSha256() + " not found")
              .asRuntimeException());
      return;
    } catch (IOException e) {
      log.error("opening artifact {} failed", request.getSha256(), e);
      responseObserver.onError(
          Status.INTERNAL.withDescription("artifact unreadable").asRuntimeException());
      return;
    }
    new Transfer(in, (ServerCallStreamObserver<ArtifactChunk>) responseObserver).start();
  }

  /** One download: sends chunks whenever the stream is ready, until the end of the artifact. */
  private static final class Transfer {
    private final InputStream in;
    private final ServerCallStreamObserver<ArtifactChunk> observer;
    private boolean finished;

    Transfer(InputStream in, ServerCallStreamObserver<ArtifactChunk> observer) {
      this.in = in;
      this.observer = observer;
    }

    void start() {
      observer.setOnCancelHandler(this::close);
      observer.setOnReadyHandler(this::drain);
      drain();
    }

    private synchronized void drain() {
      try {
        byte[] buffer = new byte[CHUNK];
        while (!finished && observer.isReady()) {
          int read = in.readNBytes(buffer, 0, CHUNK);
          if (read > 0) {
            observer.onNext(
                ArtifactChunk.newBuilder().setData(ByteString.copyFrom(buffer, 0, read)).build());
          }
          if (read < CHUNK) {
            close();
            observer.onCompleted();
          }
        }
      } catch (IOException e) {
        log.error("reading an artifact failed", e);
        close();
        observer.onError(
            Status.INTERNAL.withDescription("artifact unreadable").asRuntimeException());
      }
    }

    private synchronized void close() {
      if (!finished) {
        finished = true;
        try {
          in.close();
        } catch (IOException e) {
          log.debug("closing an artifact stream failed", e);
        }
      }
    }
  }
}
