package dev.maas.standalone.demo;

import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.maas.proto.inference.ModelMetadataRequest;
import dev.maas.proto.inference.ModelReadyRequest;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, through the gateway and as a tenant, until models serve: the gateway routes them
 * (ModelReady) and a worker answers for them (ModelMetadata, which is forwarded but not billed).
 */
public final class ServingProbe {

  private static final Logger log = LoggerFactory.getLogger(ServingProbe.class);
  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private final Channel gateway;
  private volatile String lastAnswer = "none";

  /** A probe over {@code gateway}, a channel that carries a tenant's API key. */
  public ServingProbe(Channel gateway) {
    this.gateway = gateway;
  }

  /**
   * Returns once every model of {@code models} serves.
   *
   * @throws IllegalStateException naming the models that do not serve after {@code timeout}
   */
  public void awaitServing(Collection<String> models, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<String> waiting = new LinkedHashSet<>(models);
    while (true) {
      waiting.removeIf(this::serves);
      if (waiting.isEmpty()) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "models "
                + waiting
                + " do not serve through the gateway after "
                + timeout
                + "; last answer: "
                + lastAnswer);
      }
      TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
    }
  }

  /**
   * Whether {@code model} serves. Answers that a newer routing snapshot changes count as not yet:
   * UNAVAILABLE (no snapshot, loading), UNAUTHENTICATED (a key created a moment ago) and NOT_FOUND
   * (a model deployed a moment ago).
   */
  public boolean serves(String model) {
    GRPCInferenceServiceBlockingStub stub =
        GRPCInferenceServiceGrpc.newBlockingStub(gateway)
            .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    try {
      if (!stub.modelReady(ModelReadyRequest.newBuilder().setName(model).build()).getReady()) {
        lastAnswer = model + " is not ready";
        return false;
      }
      stub.modelMetadata(ModelMetadataRequest.newBuilder().setName(model).build());
      log.info("model {} serves", model);
      return true;
    } catch (StatusRuntimeException e) {
      lastAnswer = model + ": " + e.getStatus();
      return switch (e.getStatus().getCode()) {
        case UNAVAILABLE, DEADLINE_EXCEEDED, UNAUTHENTICATED, NOT_FOUND -> false;
        default -> throw e;
      };
    }
  }
}
