package dev.maas.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on the gRPC status a call fails with. */
public final class StatusAssertions {

  private StatusAssertions() {}

  /**
   * Asserts that {@code call} fails with a status of {@code code}.
   *
   * @return an assertion on the status description
   */
  public static AbstractStringAssert<?> assertFailsWith(Status.Code code, ThrowingCallable call) {
    return assertThat(failure(code, call).getStatus().getDescription()).as("description");
  }

  /** Asserts that {@code call} fails with {@code code} and returns the exception. */
  public static StatusRuntimeException failure(Status.Code code, ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(StatusRuntimeException.class);
    StatusRuntimeException failure = (StatusRuntimeException) thrown;
    assertThat(failure.getStatus().getCode())
        .as("status of %s", failure.getStatus())
        .isEqualTo(code);
    return failure;
  }
}
