package dev.maas.gateway.grpc;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import com.google.protobuf.CodedOutputStream;
import dev.maas.gateway.forwarding.ModelRef;
import dev.maas.gateway.forwarding.RawMethods;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.ModelStreamInferResponse;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;

/**
 * One ModelStreamInfer call: each request message is forwarded as a ModelInfer of its own (own
 * model, quotas, replica and retries), and its answer goes back on the stream as it completes — the
 * worker's response bytes wrapped as {@code infer_response} without decoding them, or the error as
 * {@code error_message} with the request's model and id, as the worker answers stream errors. The
 * call ends once the client has half-closed and every request has been answered.
 *
 * <p>Thread-safe: answers come from gRPC and scheduler threads and are written under the lock.
 */
final class StreamInferCall implements StreamObserver<byte[]> {

  private final ForwardedCalls calls;
  private final ServerCallStreamObserver<byte[]> responses;

  @GuardedBy("this")
  private int pending;

  @GuardedBy("this")
  private boolean halfClosed;

  @GuardedBy("this")
  private boolean done;

  StreamInferCall(ForwardedCalls calls, StreamObserver<byte[]> responses) {
    this.calls = calls;
    this.responses = (ServerCallStreamObserver<byte[]>) responses;
    this.responses.setOnCancelHandler(this::cancelled);
  }

  @Override
  public void onNext(byte[] request) {
    synchronized (this) {
      pending++;
    }
    calls.dispatch(
        ForwardedCalls.request("ModelStreamInfer", RawMethods.MODEL_INFER, true, request),
        new ForwardedCalls.Reply() {
          @Override
          public void answer(byte[] response) {
            send(wrap(response));
          }

          @Override
          public void fail(StatusRuntimeException status, ModelRef ref) {
            ModelInferResponse.Builder named = ModelInferResponse.newBuilder();
            if (ref != null) {
              named.setModelName(ref.name()).setModelVersion(ref.version()).setId(ref.id());
            }
            String message = status.getStatus().getDescription();
            send(
                ModelStreamInferResponse.newBuilder()
                    .setErrorMessage(
                        message == null ? status.getStatus().getCode().name() : message)
                    .setInferResponse(named)
                    .build()
                    .toByteArray());
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

  private synchronized void cancelled() {
    done = true;
  }

  private synchronized void send(byte[] answer) {
    pending--;
    if (!done) {
      responses.onNext(answer);
      finishIfDrained();
    }
  }

  @GuardedBy("this")
  private void finishIfDrained() {
    if (halfClosed && pending == 0 && !done) {
      done = true;
      responses.onCompleted();
    }
  }

  /** A ModelStreamInferResponse whose infer_response (field 2) is {@code inferResponse}. */
  static byte[] wrap(byte[] inferResponse) {
    byte[] wrapped = new byte[CodedOutputStream.computeByteArraySize(2, inferResponse)];
    CodedOutputStream out = CodedOutputStream.newInstance(wrapped);
    try {
      out.writeByteArray(2, inferResponse);
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("writing into a sized array cannot fail", e);
    }
    return wrapped;
  }
}
