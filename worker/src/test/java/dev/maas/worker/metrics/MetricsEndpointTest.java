package dev.maas.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.maas.worker.Worker;
import dev.maas.worker.WorkerOptions;
import dev.maas.worker.demo.DemoModels;
import dev.maas.worker.runtime.SessionSettings;
import dev.maas.worker.testing.InferenceRequests;
import dev.maas.worker.testing.TestModels;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker's Prometheus endpoint after real requests. */
class MetricsEndpointTest {

  private static final int SUCCEEDED = 5;

  @TempDir static Path repository;

  private static Worker worker;
  private static ManagedChannel channel;
  private static HttpResponse<String> scrape;

  @BeforeAll
  static void startWorkerAndSendRequests() throws Exception {
    DemoModels.exportAffine(repository.resolve("affine/1"), 2f, 1f);
    TestModels.writeConfig(
        repository, "affine", "{\"max_batch_size\": 8, \"warmup\": {\"batch_sizes\": []}}");
    worker =
        Worker.start(
            new WorkerOptions(
                repository,
                0,
                0,
                Duration.ofMillis(200),
                SessionSettings.defaults(),
                WorkerOptions.DEFAULT_MAX_MESSAGE_BYTES,
                Duration.ofSeconds(5)));
    await().atMost(Duration.ofMinutes(1)).until(worker::isReady);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", worker.port()).usePlaintext().build();
    GRPCInferenceServiceBlockingStub stub =
        GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    for (int i = 1; i <= SUCCEEDED; i++) {
      stub.modelInfer(InferenceRequests.floats("affine", new long[] {i, 4}, new float[i * 4]));
    }
    StatusRuntimeException badShape =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> stub.modelInfer(InferenceRequests.floats("affine", new long[] {1, 3}, 1, 2, 3)));
    assertThat(badShape.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    StatusRuntimeException unknown =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                stub.modelInfer(InferenceRequests.floats("absent", new long[] {1, 4}, 1, 2, 3, 4)));
    assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    scrape =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + worker.metricsPort() + "/metrics"))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
  }

  @AfterAll
  static void stopWorker() throws InterruptedException {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    worker.close();
  }

  @Test
  void metricsAreServedAsPrometheusText() {
    assertThat(worker.metricsPort()).isPositive();
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
  }

  @Test
  void successfulRequestsAreCountedPerModelVersion() {
    assertThat(sample("maas_inference_request_success_total", "model=\"affine\""))
        .isEqualTo(SUCCEEDED);
    // Items: 1 + 2 + 3 + 4 + 5 rows.
    assertThat(sample("maas_inference_count_total", "model=\"affine\"")).isEqualTo(15);
  }

  @Test
  void executionsAndBatchSizesAreRecorded() {
    double executions = sample("maas_inference_exec_count_total", "model=\"affine\"");
    assertThat(executions).isBetween(1.0, (double) SUCCEEDED);
    assertThat(sample("maas_inference_batch_size_count", "model=\"affine\"")).isEqualTo(executions);
    assertThat(sample("maas_inference_batch_size_sum", "model=\"affine\"")).isEqualTo(15);
    assertThat(sample("maas_inference_batch_size_bucket", "le=\"8.0\"", "model=\"affine\""))
        .isEqualTo(executions);
    assertThat(sample("maas_inference_batch_size_bucket", "le=\"1.0\"", "model=\"affine\""))
        .isLessThanOrEqualTo(1);
  }

  @Test
  void queueAndComputeTimesAreRecorded() {
    assertThat(sample("maas_inference_queue_duration_seconds_count", "model=\"affine\""))
        .isEqualTo(SUCCEEDED);
    assertThat(sample("maas_inference_compute_infer_duration_seconds_count", "model=\"affine\""))
        .isPositive();
    assertThat(sample("maas_inference_request_duration_seconds_count", "model=\"affine\""))
        .isEqualTo(SUCCEEDED);
  }

  @Test
  void failedRequestsAreCountedByCode() {
    assertThat(
            sample(
                "maas_inference_request_failure_total",
                "code=\"INVALID_ARGUMENT\"",
                "model=\"affine\"",
                "version=\"1\""))
        .isEqualTo(1);
    assertThat(sample("maas_inference_request_failure_total", "code=\"NOT_FOUND\"", "model=\"\""))
        .isEqualTo(1);
  }

  /** The value of the one sample of {@code name} whose labels include every one given. */
  private static double sample(String name, String... labels) {
    Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$");
    List<Double> values =
        scrape
            .body()
            .lines()
            .map(line::matcher)
            .filter(Matcher::matches)
            .filter(m -> List.of(m.group(1).split(",")).containsAll(List.of(labels)))
            .map(m -> Double.parseDouble(m.group(2)))
            .toList();
    assertThat(values)
        .as("samples of %s with %s in%n%s", name, List.of(labels), scrape.body())
        .hasSize(1);
    return values.get(0);
  }
}
