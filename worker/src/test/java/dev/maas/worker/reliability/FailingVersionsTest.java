package dev.maas.worker.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.ModelReadyRequest;
import dev.maas.proto.inference.RepositoryIndexRequest;
import dev.maas.proto.inference.RepositoryIndexResponse.ModelIndex;
import dev.maas.worker.demo.DemoModels;
import dev.maas.worker.lifecycle.ModelRegistry;
import dev.maas.worker.lifecycle.ModelVersion;
import dev.maas.worker.lifecycle.VersionState;
import dev.maas.worker.testing.DemoRepository;
import dev.maas.worker.testing.InferenceRequests;
import dev.maas.worker.testing.TestModels;
import dev.maas.worker.testing.WorkerExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat16;

/**
 * New versions that cannot load — a broken saved_model.pb, missing variables, an unusable
 * signature, no serving signature — under a steady stream of calls: each is marked UNAVAILABLE with
 * its reason, nothing runs on it, the serving version answers every call, and health never says
 * SERVING for a model that cannot answer.
 */
class FailingVersionsTest {

  private static final Logger log = LoggerFactory.getLogger(FailingVersionsTest.class);

  private static final String MODEL = "guarded";
  private static final String SOLO = "solo";
  private static final int CLIENTS = 4;

  @RegisterExtension
  static final WorkerExtension worker =
      WorkerExtension.withRepository(
          repository -> {
            DemoModels.exportAffine(repository.resolve(MODEL).resolve("1"), 2f, 1f);
            publish(repository.resolve(SOLO).resolve("1"), FailingVersionsTest::withoutVariables);
          });

  /** A way to break a version, and a fragment of the reason it must be refused with. */
  private record Breakage(String name, Consumer<Path> writer, String reason) {}

  private static final List<Breakage> BREAKAGES =
      List.of(
          new Breakage("broken saved_model.pb", TestModels::writeCorrupt, "cannot load"),
          new Breakage(
              "variables missing",
              dir -> publish(dir, FailingVersionsTest::withoutVariables),
              "uninitialized value scale"),
          new Breakage(
              "FP16 input (a type the worker does not serve)",
              dir -> publish(dir, FailingVersionsTest::halfPrecision),
              "DT_HALF, which the worker does not serve"),
          new Breakage(
              "no serving_default signature",
              dir -> publish(dir, FailingVersionsTest::otherSignatureOnly),
              "serving_default"));

  @Test
  void failingNewVersions_areMarkedWithTheirReason_whileTheServingVersionAnswersEveryCall()
      throws Exception {
    ModelVersion serving = registry().resolve(MODEL, OptionalLong.empty());
    long successesBefore = serving.statistics().orElseThrow().snapshot().success().count();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    AtomicBoolean running = new AtomicBoolean(true);
    List<Future<int[]>> load = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int seed = c;
      load.add(clients.submit(() -> callUntilStopped(running, new Random(seed))));
    }
    try {
      for (int b = 0; b < BREAKAGES.size(); b++) {
        Breakage breakage = BREAKAGES.get(b);
        long number = b + 2;
        breakage.writer().accept(worker.repository().resolve(MODEL).resolve(Long.toString(number)));
        worker.reconcile();

        ModelVersion failed = registry().model(MODEL).orElseThrow().version(number).orElseThrow();
        assertThat(failed.state()).as(breakage.name()).isEqualTo(VersionState.UNAVAILABLE);
        assertThat(failed.reason()).as(breakage.name()).contains(breakage.reason());
        assertThat(failed.statistics()).as("nothing ever ran on it").isEmpty();
        assertThat(index(MODEL))
            .extracting(ModelIndex::getVersion, ModelIndex::getState, ModelIndex::getReason)
            .containsExactly(
                tuple("1", "READY", ""),
                tuple(Long.toString(number), "UNAVAILABLE", failed.reason()));
        assertThat(ready(MODEL, "")).isTrue();
        assertThat(ready(MODEL, Long.toString(number))).isFalse();
        assertThat(health(MODEL)).isEqualTo(ServingStatus.SERVING);
        StatusRuntimeException pinned =
            catchThrowableOfType(
                StatusRuntimeException.class,
                () -> stub().modelInfer(request(MODEL, Long.toString(number), 1f)));
        assertThat(pinned.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(pinned.getStatus().getDescription()).contains(failed.reason());
        assertThat(registry().resolve(MODEL, OptionalLong.empty())).isSameAs(serving);
        log.info(
            "version {} ({}): UNAVAILABLE, reason: {}", number, breakage.name(), failed.reason());
      }
    } finally {
      running.set(false);
      clients.shutdown();
    }
    int ok = 0;
    int failures = 0;
    for (Future<int[]> client : load) {
      int[] counts = client.get(1, TimeUnit.MINUTES);
      ok += counts[0];
      failures += counts[1];
    }
    long successes =
        serving.statistics().orElseThrow().snapshot().success().count() - successesBefore;
    log.info(
        "{} bad versions loaded under {} clients: {} calls answered by version 1, {} failed;"
            + " version 1 counted {} successes",
        BREAKAGES.size(),
        CLIENTS,
        ok,
        failures,
        successes);
    assertThat(failures).isZero();
    assertThat(ok).isPositive();
    assertThat(successes).as("calls version 1 ran").isEqualTo(ok);
  }

  @Test
  void aModelWhoseOnlyVersionFails_isNotServing_andAnswersUnavailableWithTheReason() {
    ModelVersion failed = registry().model(SOLO).orElseThrow().version(1).orElseThrow();

    StatusRuntimeException call =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> stub().modelInfer(request(SOLO, "", 1f)));

    assertThat(failed.state()).isEqualTo(VersionState.UNAVAILABLE);
    assertThat(failed.reason()).contains("uninitialized value scale");
    assertThat(health(SOLO)).isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(ready(SOLO, "")).isFalse();
    assertThat(call.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(call.getStatus().getDescription()).contains(failed.reason());
  }

  /** Calls the model without a version until stopped; counts answers right and calls failed. */
  private static int[] callUntilStopped(AtomicBoolean running, Random random) {
    int ok = 0;
    int failed = 0;
    while (running.get()) {
      float x = random.nextInt(1000) / 8f;
      try {
        ModelInferResponse response = stub().modelInfer(request(MODEL, "", x));
        boolean right =
            response.getModelVersion().equals("1")
                && InferenceRequests.outputFloats(response)[0] == 2 * x + 1;
        if (right) {
          ok++;
        } else {
          failed++;
        }
      } catch (StatusRuntimeException e) {
        failed++;
      }
    }
    return new int[] {ok, failed};
  }

  private static dev.maas.proto.inference.ModelInferRequest request(
      String model, String version, float x) {
    return InferenceRequests.floats(model, version, new long[] {1, 4}, x, x, x, x);
  }

  private static GRPCInferenceServiceBlockingStub stub() {
    return worker.blocking().withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static ModelRegistry registry() {
    return worker.worker().registry();
  }

  private static List<ModelIndex> index(String model) {
    return worker
        .blocking()
        .repositoryIndex(RepositoryIndexRequest.getDefaultInstance())
        .getModelsList()
        .stream()
        .filter(m -> m.getName().equals(model))
        .toList();
  }

  private static boolean ready(String model, String version) {
    return worker
        .blocking()
        .modelReady(ModelReadyRequest.newBuilder().setName(model).setVersion(version).build())
        .getReady();
  }

  private static ServingStatus health(String model) {
    return HealthGrpc.newBlockingStub(worker.channel())
        .check(HealthCheckRequest.newBuilder().setService(model).build())
        .getStatus();
  }

  /** The affine SavedModel without its variables directory: restoring them fails. */
  private static void withoutVariables(Path staging) {
    DemoModels.exportAffine(staging, 2f, 1f);
    DemoRepository.deleteTree(staging.resolve("variables"));
  }

  /** {@code y = 2x} over an FP16 input, a type the worker does not serve. */
  private static void halfPrecision(Path staging) {
    export(
        staging,
        tf -> {
          Placeholder<TFloat16> x =
              tf.withName("x").placeholder(TFloat16.class, Placeholder.shape(Shape.of(-1, 4)));
          return Signature.builder()
              .key(DemoModels.SERVING_SIGNATURE)
              .input("x", x)
              .output("y", tf.withName("y").math.add(x, x))
              .build();
        });
  }

  /** A valid graph whose only signature is called {@code other}. */
  private static void otherSignatureOnly(Path staging) {
    export(
        staging,
        tf -> {
          Placeholder<org.tensorflow.types.TFloat32> x =
              tf.withName("x")
                  .placeholder(
                      org.tensorflow.types.TFloat32.class, Placeholder.shape(Shape.of(-1, 4)));
          return Signature.builder()
              .key("other")
              .input("x", x)
              .output("y", tf.withName("y").math.add(x, x))
              .build();
        });
  }

  private static void export(Path dir, java.util.function.Function<Ops, Signature> graph) {
    try (Graph g = new Graph();
        Session session = new Session(g)) {
      Signature signature = graph.apply(Ops.create(g));
      session.initialize();
      SavedModelBundle.exporter(dir.toString())
          .withTags(DemoModels.SERVING_TAG)
          .withSession(session)
          .withSignature(signature)
          .export();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a version directory aside and renames it into place, so a poll never sees half. */
  private static void publish(Path versionDir, Consumer<Path> writer) {
    Path staging = versionDir.resolveSibling("." + versionDir.getFileName() + ".staging");
    try {
      Files.createDirectories(versionDir.getParent());
      writer.accept(staging);
      Files.move(staging, versionDir, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
