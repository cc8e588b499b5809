package dev.maas.worker.grpc;

import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.ModelStreamInferResponse;
import io.grpc.stub.StreamObserver;

/**
 * One ModelStreamInfer call: each request runs as ModelInfer does, and its response, or its error
 * as {@code error_message}, goes back on the stream as it completes. The call ends once the client
 * has half-closed and every request has been answered.
 */
final class StreamInferCall implements StreamObserver<ModelInferRequest> {

  private final InferenceCalls calls;
  private final StreamObserver<ModelStreamInferResponse> observer;
  private int pending;
  private boolean halfClosed;
  private boolean done;

  StreamInferCall(InferenceCalls calls, StreamObserver<ModelStreamInferResponse> observer) {
    this.calls = calls;
    this.observer = observer;
  }

  @Override
  public void onNext(ModelInferRequest request) {
    synchronized (this) {
      pending++;
    }
    calls
        .infer(request)
        .whenComplete(
            (response, error) -> {
              ModelStreamInferResponse.Builder answer = ModelStreamInferResponse.newBuilder();
              if (error != null) {
                // Answers come back in completion order: the id says which request failed.
                answer
                    .setErrorMessage(WorkerStatusMapping.toStatus(error).getDescription())
                    .setInferResponse(
                        ModelInferResponse.newBuilder()
                            .setModelName(request.getModelName())
                            .setModelVersion(request.getModelVersion())
                            .setId(request.getId()));
              } else {
                answer.setInferResponse(response);
              }
              synchronized (this) {
                pending--;
                if (!done) {
                  observer.onNext(answer.build());
                  finishIfDrained();
                }
              }
            });
  }

  @Override
  public synchronized void onError(Throwable t) {
    done = true;
  }

  @Override
  public synchronized void onCompleted() {
    halfClosed = true;
    finishIfDrained();
  }

  private void finishIfDrained() {
    if (halfClosed && pending == 0 && !done) {
      done = true;
      observer.onCompleted();
    }
  }
}
