package dev.maas.sdk.internal;

import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the admin API's feature clients share: the channel, the default deadline, and the mapping of
 * failed calls to the SDK's exceptions.
 */
public final class AdminCalls {

  private final Channel channel;
  private final Duration timeout;

  /** Calls over {@code channel}, each with {@code timeout} as its deadline. */
  public AdminCalls(Channel channel, Duration timeout) {
    this.channel = channel;
    this.timeout = timeout;
  }

  /** A stub made by {@code factory}, with the default deadline. */
  public <S extends AbstractStub<S>> S stub(Function<Channel, S> factory) {
    return factory.apply(channel).withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** A stub made by {@code factory}, without a deadline (for uploads). */
  public <S extends AbstractStub<S>> S streamingStub(Function<Channel, S> factory) {
    return factory.apply(channel);
  }

  /** Runs a blocking call, mapping a failure to the SDK's exceptions. */
  public <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (StatusRuntimeException e) {
      throw StatusErrors.toException(e);
    }
  }
}
