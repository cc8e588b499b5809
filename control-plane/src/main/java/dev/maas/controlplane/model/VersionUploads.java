package dev.maas.controlplane.model;

import dev.maas.controlplane.auth.Principal;
import dev.maas.proto.admin.v1.UploadVersionRequest;
import dev.maas.proto.admin.v1.UploadVersionResponse;
import io.grpc.stub.StreamObserver;

/**
 * The server side of the UploadVersion stream, implemented by the upload feature; it lets {@link
 * ModelGrpcService} serve the whole ModelService without depending on that feature's internals.
 */
public interface VersionUploads {

  /**
   * Starts serving one UploadVersion call of {@code caller}; the returned observer receives the
   * client's messages, and answers once on {@code responses}.
   */
  StreamObserver<UploadVersionRequest> open(
      Principal caller, StreamObserver<UploadVersionResponse> responses);
}
