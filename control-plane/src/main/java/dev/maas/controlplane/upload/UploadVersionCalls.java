package dev.maas.controlplane.upload;

import dev.maas.controlplane.auth.Principal;
import dev.maas.controlplane.model.VersionUploads;
import dev.maas.proto.admin.v1.UploadVersionRequest;
import dev.maas.proto.admin.v1.UploadVersionResponse;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;

/** Serves UploadVersion calls for the model service: one {@link UploadVersionCall} each. */
@Singleton
final class UploadVersionCalls implements VersionUploads {

  private final UploadService uploads;

  UploadVersionCalls(UploadService uploads) {
    this.uploads = uploads;
  }

  @Override
  public StreamObserver<UploadVersionRequest> open(
      Principal caller, StreamObserver<UploadVersionResponse> responses) {
    return new UploadVersionCall(uploads, caller, responses);
  }
}
