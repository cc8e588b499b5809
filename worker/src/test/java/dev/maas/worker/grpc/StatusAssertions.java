package dev.maas.worker.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on the gRPC status a call fails with. */
final class StatusAssertions {

  private StatusAssertions() {}

  /**
   * Asserts that {@code call} fails with a status of {@code code}.
   *
   * @return an assertion on the status description, for checking what it names
   */
  static AbstractStringAssert<?> assertFailsWith(Status.Code code, ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(StatusRuntimeException.class);
    Status status = ((StatusRuntimeException) thrown).getStatus();
    assertThat(status.getCode()).as("status of %s", status).isEqualTo(code);
    return assertThat(status.getDescription()).as("description of %s", status);
  }
}
