package dev.maas.sdk.internal;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The answer to a unary call as a {@link CompletableFuture}: completes with the mapped response, or
 * exceptionally with the SDK's exception for the call's status. Cancelling it cancels the call.
 *
 * @param <Q> the request type
 * @param <R> the response type
 * @param <T> what the future completes with
 */
public final class CallFuture<Q, R, T> extends CompletableFuture<T>
    implements ClientResponseObserver<Q, R> {

  private final Function<R, T> mapper;
  private volatile ClientCallStreamObserver<Q> call;
  private volatile R response;

  /** A future mapping the response with {@code mapper} (on a gRPC thread). */
  public CallFuture(Function<R, T> mapper) {
    this.mapper = mapper;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<Q> requestStream) {
    this.call = requestStream;
  }

  @Override
  public void onNext(R value) {
    response = value;
  }

  @Override
  public void onError(Throwable error) {
    completeExceptionally(StatusErrors.toException(error));
  }

  @Override
  public void onCompleted() {
    try {
      complete(mapper.apply(response));
    } catch (RuntimeException e) {
      completeExceptionally(e);
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    ClientCallStreamObserver<Q> started = call;
    if (cancelled && started != null) {
      started.cancel("cancelled by the caller", null);
    }
    return cancelled;
  }
}
