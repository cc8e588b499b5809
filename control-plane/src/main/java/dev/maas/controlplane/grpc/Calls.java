package dev.maas.controlplane.grpc;

import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** Runs a unary call's work and answers it, mapping failures in one place. */
public final class Calls {

  private Calls() {}

  /** Answers with what {@code work} returns, or with the status of what it throws. */
  public static <T> void unary(StreamObserver<T> observer, Supplier<T> work) {
    T response;
    try {
      response = work.get();
    } catch (RuntimeException e) {
      observer.onError(ControlPlaneStatusMapping.toStatus(e).asRuntimeException());
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }
}
