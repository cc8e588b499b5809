package dev.maas.worker.testing;

import static org.awaitility.Awaitility.await;

import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.worker.Worker;
import dev.maas.worker.WorkerOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real worker on an ephemeral port over a model repository in a temporary directory, and a
 * plaintext Netty channel to it, once per test class. Register it as a static field with
 * {@code @RegisterExtension}.
 */
public final class WorkerExtension implements BeforeAllCallback, AfterAllCallback {

  private final Consumer<Path> repositorySetup;
  private Path repository;
  private Worker worker;
  private ManagedChannel channel;

  private WorkerExtension(Consumer<Path> repositorySetup) {
    this.repositorySetup = repositorySetup;
  }

  /** A worker over the demo models. */
  public static WorkerExtension withDemoModels() {
    return new WorkerExtension(DemoRepository::copyTo);
  }

  /** A worker over a repository that {@code setup} writes before it starts. */
  public static WorkerExtension withRepository(Consumer<Path> setup) {
    return new WorkerExtension(setup);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    repository = Files.createTempDirectory("maas-repository");
    repositorySetup.accept(repository);
    worker = Worker.start(WorkerOptions.ephemeral(repository));
    await().atMost(Duration.ofMinutes(2)).until(worker::isReady);
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", worker.port())
            .usePlaintext()
            .maxInboundMessageSize(WorkerOptions.DEFAULT_MAX_MESSAGE_BYTES)
            .build();
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    worker.close();
    DemoRepository.deleteTree(repository);
  }

  /** The running worker. */
  public Worker worker() {
    return worker;
  }

  /** The model repository the worker serves. */
  public Path repository() {
    return repository;
  }

  /** A channel to the worker over loopback. */
  public ManagedChannel channel() {
    return channel;
  }

  /** A blocking stub of the inference service. */
  public GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub blocking() {
    return GRPCInferenceServiceGrpc.newBlockingStub(channel);
  }

  /** An asynchronous stub of the inference service. */
  public GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub future() {
    return GRPCInferenceServiceGrpc.newFutureStub(channel);
  }

  /** Rescans the repository now and waits for the pass to finish. */
  public void reconcile() {
    worker.reconcileNow();
  }
}
