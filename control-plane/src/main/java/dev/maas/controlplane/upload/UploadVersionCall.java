package dev.maas.controlplane.upload;

import dev.maas.controlplane.auth.Principal;
import dev.maas.controlplane.grpc.ControlPlaneStatusMapping;
import dev.maas.controlplane.model.ModelProtoMapper;
import dev.maas.controlplane.model.ModelVersion;
import dev.maas.controlplane.problem.Problem;
import dev.maas.proto.admin.v1.UploadVersionRequest;
import dev.maas.proto.admin.v1.UploadVersionResponse;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one UploadVersion call: the protocol (start, chunks, finish) over {@link
 * UploadService}. Out-of-order messages, a second start and a stream that ends without finish are
 * INVALID_ARGUMENT; a cancelled stream fails the version ("upload interrupted"). Whatever happens,
 * the temporary file is gone once the call ends. grpc-java delivers a call's messages one at a
 * time, so the fields need no lock.
 */
final class UploadVersionCall implements StreamObserver<UploadVersionRequest> {

  private static final Logger log = LoggerFactory.getLogger(UploadVersionCall.class);

  private final UploadService uploads;
  private final Principal caller;
  private final StreamObserver<UploadVersionResponse> responses;
  private UploadSession session;
  private boolean ended;

  UploadVersionCall(
      UploadService uploads, Principal caller, StreamObserver<UploadVersionResponse> responses) {
    this.uploads = uploads;
    this.caller = caller;
    this.responses = responses;
  }

  @Override
  public void onNext(UploadVersionRequest request) {
    if (ended) {
      return;
    }
    try {
      switch (request.getPartCase()) {
        case START -> {
          if (session != null) {
            throw Problem.invalid("an upload has one start message, and it comes first");
          }
          session =
              uploads.begin(caller, request.getStart().getTenant(), request.getStart().getModel());
        }
        case CHUNK -> uploads.append(started("chunk"), request.getChunk());
        case FINISH -> {
          ModelVersion version =
              uploads.finish(
                  started("finish"),
                  request.getFinish().getSha256(),
                  request.getFinish().getSizeBytes());
          end();
          responses.onNext(
              UploadVersionResponse.newBuilder()
                  .setVersion(ModelProtoMapper.toProto(version))
                  .build());
          responses.onCompleted();
        }
        default -> throw Problem.invalid("an upload message needs one of start, chunk or finish");
      }
    } catch (RuntimeException e) {
      failCall(e);
    }
  }

  @Override
  public void onError(Throwable cancelled) {
    if (!ended) {
      abort("upload interrupted");
    }
  }

  @Override
  public void onCompleted() {
    if (!ended) {
      failCall(
          Problem.invalid(
              session == null
                  ? "the upload stream ended before its start message"
                  : "the upload stream ended without a finish message"));
    }
  }

  private UploadSession started(String part) {
    if (session == null) {
      throw Problem.invalid("the first message of an upload must be start, not " + part);
    }
    return session;
  }

  /** Fails the version (if any) with the error's text and answers the call with its status. */
  private void failCall(RuntimeException error) {
    abort(
        error instanceof Problem
            ? error.getMessage()
            : "internal error; the control plane log has the details");
    responses.onError(ControlPlaneStatusMapping.toStatus(error).asRuntimeException());
  }

  private void abort(String reason) {
    if (session != null) {
      try {
        uploads.fail(session, reason, null);
      } catch (Problem gone) {
        log.debug("the version of an ended upload is gone: {}", gone.getMessage());
      } catch (RuntimeException e) {
        log.error("cannot mark the interrupted upload of {} FAILED", session.model(), e);
      }
    }
    end();
  }

  /** Marks the call ended and deletes the temporary file. */
  private void end() {
    ended = true;
    if (session != null) {
      try {
        session.close();
      } catch (IOException e) {
        log.warn("cannot delete upload file {}", session.file(), e);
      }
    }
  }
}
