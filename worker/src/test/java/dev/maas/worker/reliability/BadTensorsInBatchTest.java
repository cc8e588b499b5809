package dev.maas.worker.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.maas.proto.inference.InferBatchStatistics;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.ModelInferResponse.InferOutputTensor;
import dev.maas.proto.inference.ModelStatistics;
import dev.maas.proto.inference.ModelStatisticsRequest;
import dev.maas.worker.demo.DemoModels;
import dev.maas.worker.lifecycle.ModelVersion;
import dev.maas.worker.runtime.SavedModelRuntime;
import dev.maas.worker.runtime.SessionSettings;
import dev.maas.worker.tensor.DataType;
import dev.maas.worker.tensor.HostTensor;
import dev.maas.worker.tensor.Shapes;
import dev.maas.worker.tensor.TensorSpec;
import dev.maas.worker.testing.DemoRepository;
import dev.maas.worker.testing.TestModels;
import dev.maas.worker.testing.WorkerExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bad tensors of every kind mixed into a stream of valid concurrent requests, on every demo model
 * with dynamic batching on: every bad one is refused with INVALID_ARGUMENT naming the input and
 * what the model expects, before TensorFlow runs it; every valid one answers as TensorFlow does
 * directly; no version restarts.
 */
class BadTensorsInBatchTest {

  private static final Logger log = LoggerFactory.getLogger(BadTensorsInBatchTest.class);

  private static final int MAX_BATCH = 8;
  private static final int VALID_REQUESTS = 48;
  private static final int VARIANTS_PER_KIND = 4;
  private static final int CLIENT_THREADS = 8;

  /** The affine model again, with NaN and Inf allowed. */
  private static final String AFFINE_NON_FINITE = "affine_non_finite";

  @RegisterExtension
  static final WorkerExtension worker =
      WorkerExtension.withRepository(BadTensorsInBatchTest::writeRepository);

  private static final ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);

  @AfterAll
  static void stopClients() {
    clients.shutdownNow();
  }

  private static void writeRepository(Path repository) {
    DemoRepository.copyTo(repository);
    DemoRepository.copyTree(
        repository.resolve(DemoModels.AFFINE), repository.resolve(AFFINE_NON_FINITE));
    String batching =
        "{\"max_batch_size\": "
            + MAX_BATCH
            + ", \"dynamic_batching\": {\"max_queue_delay_microseconds\": 2000}";
    for (String model :
        List.of(
            DemoModels.LENET,
            DemoModels.BINARY_CLASSIFIER,
            DemoModels.AFFINE,
            DemoModels.STRINGS,
            DemoModels.DTYPES)) {
      TestModels.writeConfig(repository, model, batching + "}");
    }
    TestModels.writeConfig(
        repository, AFFINE_NON_FINITE, batching + ", \"allow_non_finite_inputs\": true}");
  }

  /** The ways a request can be bad; each builds a bad request, or none for a model it cannot. */
  enum BadKind {
    WRONG_RANK,
    WRONG_DIMENSION,
    WRONG_DATATYPE,
    WRONG_BYTE_LENGTH,
    EMPTY_BATCH,
    EMPTY_CONTENTS,
    BATCH_OVER_MAX,
    NAN,
    INFINITY
  }

  /** One call of the stream: a valid request with its inputs, or a bad one with what to expect. */
  private record Call(
      ModelInferRequest request,
      List<HostTensor> inputs,
      Optional<BadKind> bad,
      String badInput,
      String expected) {

    static Call valid(String model, List<HostTensor> inputs, boolean raw) {
      return new Call(Tensors.request(model, inputs, raw), inputs, Optional.empty(), "", "");
    }

    static Call bad(
        BadKind kind, ModelInferRequest request, String badInput, String expectedFragment) {
      return new Call(request, List.of(), Optional.of(kind), badInput, expectedFragment);
    }

    int rows() {
      return (int) inputs.get(0).dim(0);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        DemoModels.LENET,
        DemoModels.BINARY_CLASSIFIER,
        DemoModels.AFFINE,
        DemoModels.STRINGS,
        DemoModels.DTYPES
      })
  void badTensorsAreRefusedBeforeTensorFlowWhileTheValidOnesAroundThemAnswer(String model)
      throws Exception {
    ModelVersion servingBefore = worker.worker().registry().resolve(model, OptionalLong.empty());
    ModelStatistics before = statistics(model);
    try (SavedModelRuntime direct =
        SavedModelRuntime.load(
            worker.repository().resolve(model).resolve("1"),
            DemoModels.SERVING_SIGNATURE,
            SessionSettings.defaults())) {
      List<TensorSpec> specs = direct.signature().inputs();
      Random random = new Random(model.hashCode());
      List<Call> calls = new ArrayList<>();
      for (int i = 0; i < VALID_REQUESTS; i++) {
        List<HostTensor> inputs = new ArrayList<>();
        int rows = 1 + random.nextInt(3);
        for (TensorSpec spec : specs) {
          inputs.add(Tensors.random(spec, rows, random));
        }
        calls.add(Call.valid(model, inputs, i % 2 == 0));
      }
      for (BadKind kind : BadKind.values()) {
        for (int v = 0; v < VARIANTS_PER_KIND; v++) {
          badCall(kind, model, specs, random, v % 2 == 0).ifPresent(calls::add);
        }
      }
      Collections.shuffle(calls, random);

      List<Future<Object>> answers = new ArrayList<>();
      for (Call call : calls) {
        answers.add(clients.submit(() -> send(call.request())));
      }

      Map<BadKind, Integer> refused = new EnumMap<>(BadKind.class);
      int validRows = 0;
      int validOk = 0;
      for (int i = 0; i < calls.size(); i++) {
        Call call = calls.get(i);
        Object answer = answers.get(i).get(60, TimeUnit.SECONDS);
        if (call.bad().isPresent()) {
          assertThat(answer)
              .as("%s request", call.bad().get())
              .isInstanceOf(StatusRuntimeException.class);
          Status status = ((StatusRuntimeException) answer).getStatus();
          assertThat(status.getCode())
              .as("%s", call.bad().get())
              .isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(status.getDescription())
              .as("%s", call.bad().get())
              .contains("input '" + call.badInput() + "'", "expected", call.expected());
          refused.merge(call.bad().get(), 1, Integer::sum);
        } else {
          assertThat(answer).as("valid request %d", i).isInstanceOf(ModelInferResponse.class);
          assertAnswersAsDirectly(model, (ModelInferResponse) answer, call, direct);
          validOk++;
          validRows += call.rows();
        }
      }
      int bad = refused.values().stream().mapToInt(Integer::intValue).sum();

      ModelStatistics after = statistics(model);
      long rowsExecuted = executedRows(after) - executedRows(before);
      assertThat(rowsExecuted).as("rows TensorFlow ran").isEqualTo(validRows);
      assertThat(after.getInferenceCount() - before.getInferenceCount()).isEqualTo(validRows);
      assertThat(
              after.getInferenceStats().getFail().getCount()
                  - before.getInferenceStats().getFail().getCount())
          .as("failed requests")
          .isEqualTo(bad);
      assertThat(worker.worker().registry().resolve(model, OptionalLong.empty()))
          .as("the version that served before, not reloaded")
          .isSameAs(servingBefore);
      assertThat(health(model)).isEqualTo(ServingStatus.SERVING);
      log.info(
          "bad tensors, {}: {} valid requests ({} rows) all OK, {} executions; {} bad refused"
              + " with INVALID_ARGUMENT ({}); rows TensorFlow ran {} = valid rows; 0 reloads",
          model,
          validOk,
          validRows,
          after.getExecutionCount() - before.getExecutionCount(),
          bad,
          refused.entrySet().stream()
              .map(e -> e.getKey() + " " + e.getValue())
              .collect(Collectors.joining(", ")),
          rowsExecuted);
    }
  }

  @Test
  void nonFiniteValuesAreRefusedNamingTheElement_unlessTheModelAllowsThem() {
    float[] x = {1f, 2f, Float.NaN, 4f, 5f, Float.NEGATIVE_INFINITY, 7f, 8f};
    HostTensor input = new HostTensor("x", DataType.FP32, new long[] {2, 4}, floats(x));
    for (boolean raw : List.of(true, false)) {
      Object refused = send(Tensors.request(DemoModels.AFFINE, List.of(input), raw));
      assertThat(refused).isInstanceOf(StatusRuntimeException.class);
      Status status = ((StatusRuntimeException) refused).getStatus();
      assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(status.getDescription())
          .contains("input 'x'", "NaN", "index [0, 2]", "element 2", "expected finite FP32")
          .contains("allow_non_finite_inputs");

      Object answered = send(Tensors.request(AFFINE_NON_FINITE, List.of(input), raw));
      assertThat(answered).isInstanceOf(ModelInferResponse.class);
      ModelInferResponse response = (ModelInferResponse) answered;
      ByteString y =
          raw
              ? response.getRawOutputContents(0)
              : Tensors.raw(DataType.FP32, response.getOutputs(0).getContents());
      // y = 2x + 1: NaN stays NaN, -Inf stays -Inf.
      assertThat(toFloats(y))
          .containsExactly(3f, 5f, Float.NaN, 9f, 11f, Float.NEGATIVE_INFINITY, 15f, 17f);
    }
  }

  private static Optional<Call> badCall(
      BadKind kind, String model, List<TensorSpec> specs, Random random, boolean raw) {
    int rows = 1 + random.nextInt(3);
    List<HostTensor> inputs = new ArrayList<>();
    for (TensorSpec spec : specs) {
      inputs.add(Tensors.random(spec, rows, random));
    }
    // The input to spoil: the first with a fixed size after dimension 0.
    int target = 0;
    while (specs.get(target).rank() < 2 || !specs.get(target).dataType().isFixedSize()) {
      target++;
    }
    TensorSpec spec = specs.get(target);
    HostTensor good = inputs.get(target);
    long[] shape = good.shape();
    String name = spec.name();
    String expectedShape = "expected " + Shapes.toString(spec.shape());
    String expectedBatch = "expected 1 to " + MAX_BATCH + " rows";
    switch (kind) {
      case WRONG_RANK -> {
        long[] deeper = new long[shape.length + 1];
        System.arraycopy(shape, 0, deeper, 0, shape.length);
        deeper[shape.length] = 1;
        inputs.set(target, new HostTensor(name, spec.dataType(), deeper, good.data()));
        return Optional.of(Call.bad(kind, request(model, inputs, raw), name, expectedShape));
      }
      case WRONG_DIMENSION -> {
        shape[shape.length - 1] += 1 + random.nextInt(3);
        inputs.set(target, Tensors.random(name, spec.dataType(), shape, random));
        return Optional.of(Call.bad(kind, request(model, inputs, raw), name, expectedShape));
      }
      case WRONG_DATATYPE -> {
        DataType other = sameSizeOther(spec.dataType());
        inputs.set(target, new HostTensor(name, other, shape, good.data()));
        return Optional.of(
            Call.bad(kind, request(model, inputs, raw), name, "expected " + spec.dataType()));
      }
      case WRONG_BYTE_LENGTH -> {
        // Raw: one byte short. Typed: one value short (typed contents have no bytes).
        if (raw) {
          ByteString shorter = good.data().substring(0, good.data().size() - 1);
          inputs.set(target, new HostTensor(name, spec.dataType(), shape, shorter));
          long expected = good.data().size();
          return Optional.of(
              Call.bad(kind, request(model, inputs, true), name, "expected " + expected));
        }
        ModelInferRequest request = request(model, inputs, false);
        ModelInferRequest.Builder spoiled = request.toBuilder();
        var contents =
            Tensors.typed(
                spec.dataType(),
                good.data().substring(0, good.data().size() - spec.dataType().byteSize()));
        spoiled.getInputsBuilder(target).setContents(contents);
        return Optional.of(
            Call.bad(kind, spoiled.build(), name, "expected " + Shapes.elementCount(shape)));
      }
      case EMPTY_BATCH -> {
        List<HostTensor> empty = new ArrayList<>();
        for (TensorSpec s : specs) {
          empty.add(Tensors.random(s, 0, random));
        }
        return Optional.of(
            Call.bad(kind, request(model, empty, raw), specs.get(0).name(), expectedBatch));
      }
      case EMPTY_CONTENTS -> {
        inputs.set(target, new HostTensor(name, spec.dataType(), shape, ByteString.EMPTY));
        ModelInferRequest request = request(model, inputs, raw);
        if (!raw) {
          request =
              request.toBuilder()
                  .setInputs(target, request.getInputs(target).toBuilder().clearContents())
                  .build();
        }
        return Optional.of(
            Call.bad(
                kind,
                request,
                name,
                "expected " + (raw ? good.data().size() : Shapes.elementCount(shape))));
      }
      case BATCH_OVER_MAX -> {
        List<HostTensor> big = new ArrayList<>();
        int over = MAX_BATCH + 1 + random.nextInt(MAX_BATCH);
        for (TensorSpec s : specs) {
          big.add(Tensors.random(s, over, random));
        }
        return Optional.of(
            Call.bad(kind, request(model, big, raw), specs.get(0).name(), expectedBatch));
      }
      case NAN, INFINITY -> {
        Optional<TensorSpec> floating =
            specs.stream()
                .filter(s -> s.dataType() == DataType.FP32 || s.dataType() == DataType.FP64)
                .findFirst();
        if (floating.isEmpty()) {
          return Optional.empty();
        }
        int index = specs.indexOf(floating.get());
        HostTensor clean = inputs.get(index);
        int element = random.nextInt(Math.toIntExact(clean.elementCount()));
        double value =
            kind == BadKind.NAN
                ? Double.NaN
                : random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        inputs.set(index, Tensors.withValue(clean, element, value));
        return Optional.of(
            Call.bad(
                kind,
                request(model, inputs, raw),
                floating.get().name(),
                "element " + element + "), expected finite " + floating.get().dataType()));
      }
    }
    throw new AssertionError(kind);
  }

  private static ModelInferRequest request(String model, List<HostTensor> inputs, boolean raw) {
    return Tensors.request(model, inputs, raw);
  }

  /** Another served type whose elements have the same size, so only the datatype is wrong. */
  private static DataType sameSizeOther(DataType type) {
    return switch (type) {
      case FP32 -> DataType.INT32;
      case INT32 -> DataType.FP32;
      case FP64 -> DataType.INT64;
      case INT64 -> DataType.FP64;
      case INT16 -> DataType.INT8;
      default -> DataType.INT16;
    };
  }

  /** The response, or the {@link StatusRuntimeException} the call failed with. */
  private static Object send(ModelInferRequest request) {
    GRPCInferenceServiceBlockingStub stub =
        worker.blocking().withDeadlineAfter(60, TimeUnit.SECONDS);
    try {
      return stub.modelInfer(request);
    } catch (StatusRuntimeException e) {
      return e;
    }
  }

  /**
   * Checks every output against TensorFlow run directly on the request's own inputs. LeNet's and
   * the MLP's convolutions and matrix products pick their summation order by batch size, so rows
   * batched with other requests may differ from a lone run in the last bits (measured: at most
   * 5.3e-7 absolute); the element-wise models must match bit for bit.
   */
  private static void assertAnswersAsDirectly(
      String model, ModelInferResponse response, Call call, SavedModelRuntime direct) {
    boolean raw = call.request().getRawInputContentsCount() > 0;
    Map<String, HostTensor> expected =
        direct.run(call.inputs()).stream()
            .collect(Collectors.toMap(HostTensor::name, Function.identity()));
    assertThat(response.getOutputsCount()).isEqualTo(expected.size());
    for (int i = 0; i < response.getOutputsCount(); i++) {
      InferOutputTensor output = response.getOutputs(i);
      HostTensor want = expected.get(output.getName());
      assertThat(output.getShapeList()).containsExactlyElementsOf(boxed(want.shape()));
      ByteString got =
          raw
              ? response.getRawOutputContents(i)
              : Tensors.raw(want.dataType(), output.getContents());
      boolean exact =
          !model.equals(DemoModels.LENET) && !model.equals(DemoModels.BINARY_CLASSIFIER);
      if (exact) {
        assertThat(got).as("%s output %s", model, output.getName()).isEqualTo(want.data());
      } else {
        float[] actual = toFloats(got);
        float[] wanted = toFloats(want.data());
        assertThat(actual).hasSameSizeAs(wanted);
        for (int e = 0; e < wanted.length; e++) {
          assertThat(actual[e])
              .as("%s output %s element %d", model, output.getName(), e)
              .isCloseTo(
                  wanted[e],
                  org.assertj.core.data.Offset.offset(1e-5f * Math.max(1f, Math.abs(wanted[e]))));
        }
      }
    }
  }

  private static ModelStatistics statistics(String model) {
    return worker
        .blocking()
        .modelStatistics(ModelStatisticsRequest.newBuilder().setName(model).build())
        .getModelStats(0);
  }

  /** Rows TensorFlow ran: each batch size times the batches of that size. */
  private static long executedRows(ModelStatistics statistics) {
    long rows = 0;
    for (InferBatchStatistics batch : statistics.getBatchStatsList()) {
      rows += batch.getBatchSize() * batch.getComputeInfer().getCount();
    }
    return rows;
  }

  private static ServingStatus health(String model) {
    return HealthGrpc.newBlockingStub(worker.channel())
        .check(HealthCheckRequest.newBuilder().setService(model).build())
        .getStatus();
  }

  private static ByteString floats(float[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return ByteString.copyFrom(buffer.array());
  }

  private static float[] toFloats(ByteString raw) {
    float[] values = new float[raw.size() / 4];
    raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }

  private static List<Long> boxed(long[] values) {
    List<Long> list = new ArrayList<>();
    for (long v : values) {
      list.add(v);
    }
    return list;
  }
}
