package dev.maas.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.gateway.routing.ModelNotFoundException;
import dev.maas.proto.StatusDescriptions;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

class StatusDescriptionTest {

  @Test
  void aDescriptionEchoingAVeryLongName_isCut_soItsTrailerFitsAClientsHeaderLimit() {
    String name = "x".repeat(10_000);

    Status status =
        GatewayStatusMapping.toException(new ModelNotFoundException("model " + name + " not found"))
            .getStatus();

    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.getDescription())
        .startsWith("model xxx")
        .endsWith("... (cut)")
        .hasSize(StatusDescriptions.MAX_CHARS + "... (cut)".length());
  }

  @Test
  void ordinaryDescriptions_andWorkerDescriptions_passUnchanged() {
    assertThat(
            GatewayStatusMapping.toException(new ModelNotFoundException("model m not found"))
                .getStatus()
                .getDescription())
        .isEqualTo("model m not found");
    assertThat(
            GatewayStatusMapping.fromWorker(Status.INVALID_ARGUMENT.withDescription("bad tensor"))
                .getStatus()
                .getDescription())
        .isEqualTo("bad tensor");
  }

  @Test
  void aCutNeverSplitsASurrogatePair() {
    String description = "a".repeat(StatusDescriptions.MAX_CHARS - 1) + "\ud835\udfcf!";

    String bounded = StatusDescriptions.bounded(description);

    assertThat(bounded).isEqualTo("a".repeat(StatusDescriptions.MAX_CHARS - 1) + "... (cut)");
  }
}
