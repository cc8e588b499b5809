package dev.maas.controlplane.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.controlplane.problem.Problem;
import dev.maas.proto.StatusDescriptions;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

class StatusDescriptionTest {

  @Test
  void aDescriptionEchoingAVeryLongName_isCut_soItsTrailerFitsAClientsHeaderLimit() {
    String name = "x".repeat(10_000);

    Status status =
        ControlPlaneStatusMapping.toStatus(
            Problem.invalid("model name '" + name + "' is invalid: use 1-128 letters"));

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription())
        .startsWith("model name 'xxx")
        .endsWith("... (cut)")
        .hasSize(StatusDescriptions.MAX_CHARS + "... (cut)".length());
  }

  @Test
  void ordinaryDescriptions_passUnchanged() {
    assertThat(
            ControlPlaneStatusMapping.toStatus(Problem.notFound("tenant 'a' not found"))
                .getDescription())
        .isEqualTo("tenant 'a' not found");
  }
}
