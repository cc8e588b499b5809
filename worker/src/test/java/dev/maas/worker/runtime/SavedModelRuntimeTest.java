package dev.maas.worker.runtime;

import static dev.maas.worker.runtime.RawEncoding.bools;
import static dev.maas.worker.runtime.RawEncoding.bytes;
import static dev.maas.worker.runtime.RawEncoding.decodeDoubles;
import static dev.maas.worker.runtime.RawEncoding.decodeFloats;
import static dev.maas.worker.runtime.RawEncoding.decodeInts;
import static dev.maas.worker.runtime.RawEncoding.decodeLongs;
import static dev.maas.worker.runtime.RawEncoding.decodeShorts;
import static dev.maas.worker.runtime.RawEncoding.decodeStrings;
import static dev.maas.worker.runtime.RawEncoding.doubles;
import static dev.maas.worker.runtime.RawEncoding.floats;
import static dev.maas.worker.runtime.RawEncoding.ints;
import static dev.maas.worker.runtime.RawEncoding.longs;
import static dev.maas.worker.runtime.RawEncoding.shorts;
import static dev.maas.worker.runtime.RawEncoding.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import dev.maas.worker.demo.DtypesModel;
import dev.maas.worker.tensor.DataType;
import dev.maas.worker.tensor.HostTensor;
import dev.maas.worker.tensor.TensorSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the demo model with every served type through a loaded runtime. */
class SavedModelRuntimeTest {

  private static final long[] ROWS_2x2 = {2, 2};

  @TempDir static Path modelDir;

  private static SavedModelRuntime runtime;

  @BeforeAll
  static void exportAndLoad() throws Exception {
    DtypesModel.export(modelDir.resolve("1"));
    runtime =
        SavedModelRuntime.load(
            modelDir.resolve("1"), DtypesModel.SIGNATURE, SessionSettings.defaults());
  }

  @AfterAll
  static void close() {
    runtime.close();
  }

  @Test
  void signature_listsSignatureKeysSortedWithTypesAndShapes() {
    long[] rows = {-1, 2};

    assertThat(runtime.signature().inputs())
        .containsExactly(
            new TensorSpec("bool", DataType.BOOL, rows),
            new TensorSpec("bytes", DataType.BYTES, rows),
            new TensorSpec("fp32", DataType.FP32, rows),
            new TensorSpec("fp64", DataType.FP64, rows),
            new TensorSpec("int16", DataType.INT16, rows),
            new TensorSpec("int32", DataType.INT32, rows),
            new TensorSpec("int64", DataType.INT64, rows),
            new TensorSpec("int8", DataType.INT8, rows),
            new TensorSpec("uint8", DataType.UINT8, rows));
    assertThat(runtime.signature().outputs())
        .containsExactly(
            new TensorSpec("bool_out", DataType.BOOL, rows),
            new TensorSpec("bytes_out", DataType.BYTES, rows),
            new TensorSpec("fp32_out", DataType.FP32, rows),
            new TensorSpec("fp64_out", DataType.FP64, rows),
            new TensorSpec("int16_out", DataType.INT16, rows),
            new TensorSpec("int32_out", DataType.INT32, rows),
            new TensorSpec("int64_out", DataType.INT64, rows),
            new TensorSpec("int8_out", DataType.INT8, rows),
            new TensorSpec("uint8_out", DataType.UINT8, rows));
  }

  @Test
  void run_computesEveryOutputExactly() {
    List<HostTensor> inputs =
        new ArrayList<>(
            List.of(
                input("fp32", DataType.FP32, floats(-1.5f, Float.NaN, 0f, 1e30f)),
                input("fp64", DataType.FP64, doubles(-2.25, Double.NaN, 0, 1e300)),
                input("int8", DataType.INT8, bytes(-128, -1, 0, 127)),
                input(
                    "int16",
                    DataType.INT16,
                    shorts((short) -32768, (short) -1, (short) 0, (short) 32767)),
                input("int32", DataType.INT32, ints(Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE)),
                input("int64", DataType.INT64, longs(Long.MIN_VALUE, -1, 0, Long.MAX_VALUE)),
                input("uint8", DataType.UINT8, bytes(0, 1, 254, 255)),
                input("bool", DataType.BOOL, bools(true, false, false, true)),
                input("bytes", DataType.BYTES, strings("a", "", "größer", "\0x"))));
    Collections.reverse(inputs); // any order is accepted

    Map<String, HostTensor> outputs = byName(runtime.run(inputs));

    assertThat(outputs.values()).allSatisfy(out -> assertThat(out.shape()).containsExactly(2, 2));
    assertThat(decodeFloats(outputs.get("fp32_out").data()))
        .containsExactly(-3f, Float.NaN, 0f, 2e30f);
    assertThat(decodeDoubles(outputs.get("fp64_out").data()))
        .containsExactly(-4.5, Double.NaN, 0, 2e300);
    assertThat(outputs.get("int8_out").data()).isEqualTo(bytes(-127, 0, 1, -128));
    assertThat(decodeShorts(outputs.get("int16_out").data()))
        .containsExactly((short) -32767, (short) 0, (short) 1, (short) -32768);
    assertThat(decodeInts(outputs.get("int32_out").data()))
        .containsExactly(Integer.MIN_VALUE + 1, 0, 1, Integer.MIN_VALUE);
    assertThat(decodeLongs(outputs.get("int64_out").data()))
        .containsExactly(Long.MIN_VALUE + 1, 0, 1, Long.MIN_VALUE);
    assertThat(outputs.get("uint8_out").data()).isEqualTo(bytes(1, 2, 255, 0));
    assertThat(outputs.get("bool_out").data()).isEqualTo(bools(false, true, true, false));
    assertThat(decodeStrings(outputs.get("bytes_out").data()))
        .containsExactly("a!", "!", "größer!", "\0x!");
  }

  @Test
  void run_returnsOutputsInSignatureOrderWithTheirTypes() {
    List<HostTensor> outputs = runtime.run(inputsForRow(5));

    assertThat(outputs)
        .extracting(HostTensor::name, HostTensor::dataType)
        .containsExactlyElementsOf(
            runtime.signature().outputs().stream()
                .map(spec -> tuple(spec.name(), spec.dataType()))
                .toList());
  }

  @Test
  void run_withZeroRows_returnsZeroRows() {
    List<HostTensor> inputs =
        runtime.signature().inputs().stream()
            .map(
                spec ->
                    new HostTensor(
                        spec.name(), spec.dataType(), new long[] {0, 2}, ByteString.EMPTY))
            .toList();

    List<HostTensor> outputs = runtime.run(inputs);

    assertThat(outputs).hasSize(9);
    assertThat(outputs)
        .allSatisfy(
            out -> {
              assertThat(out.shape()).containsExactly(0, 2);
              assertThat(out.data().size()).isZero();
            });
  }

  @Test
  void run_fromConcurrentCallers_givesEachCallerItsOwnAnswer() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Boolean>> callers = new ArrayList<>();
      for (int caller = 0; caller < 8; caller++) {
        int id = caller;
        callers.add(
            () -> {
              for (int i = 0; i < 50; i++) {
                int value = id * 1000 + i;
                Map<String, HostTensor> outputs = byName(runtime.run(inputsForRow(value)));
                assertThat(decodeInts(outputs.get("int32_out").data())).containsOnly(value + 1);
                assertThat(decodeFloats(outputs.get("fp32_out").data())).containsOnly(value * 2f);
                assertThat(decodeStrings(outputs.get("bytes_out").data()))
                    .containsOnly(value + "!");
              }
              return true;
            });
      }
      for (Future<Boolean> result : pool.invokeAll(callers)) {
        assertThat(result.get()).isTrue(); // rethrows a caller's assertion failure
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void run_withInputOfAnotherTypeThanTheGraphs_failsAsInvalidInput() {
    List<HostTensor> inputs = new ArrayList<>(inputsForRow(1));
    inputs.replaceAll(
        in ->
            in.name().equals("fp32")
                ? new HostTensor("fp32", DataType.INT32, ROWS_2x2, ints(1, 2, 3, 4))
                : in);

    assertThatThrownBy(() -> runtime.run(inputs))
        .isInstanceOfSatisfying(
            ModelExecutionException.class, e -> assertThat(e.invalidInput()).isTrue())
        .hasMessageContaining("to be float");
  }

  @Test
  void run_withoutAnInput_failsAsInvalidInput() {
    List<HostTensor> inputs = new ArrayList<>(inputsForRow(1));
    inputs.removeIf(in -> in.name().equals("int8"));

    assertThatThrownBy(() -> runtime.run(inputs))
        .isInstanceOfSatisfying(
            ModelExecutionException.class, e -> assertThat(e.invalidInput()).isTrue())
        .hasMessage("missing input int8");
  }

  @Test
  void run_withUnknownInput_failsAsInvalidInput() {
    List<HostTensor> inputs = new ArrayList<>(inputsForRow(1));
    inputs.add(input("extra", DataType.INT32, ints(1, 2, 3, 4)));

    assertThatThrownBy(() -> runtime.run(inputs))
        .isInstanceOf(ModelExecutionException.class)
        .hasMessageContaining("unknown input extra");
  }

  /** One input per signature input, every element holding {@code value}. */
  private static List<HostTensor> inputsForRow(int value) {
    String text = Integer.toString(value);
    return List.of(
        input("fp32", DataType.FP32, floats(value, value, value, value)),
        input("fp64", DataType.FP64, doubles(value, value, value, value)),
        input("int8", DataType.INT8, bytes(value, value, value, value)),
        input(
            "int16",
            DataType.INT16,
            shorts((short) value, (short) value, (short) value, (short) value)),
        input("int32", DataType.INT32, ints(value, value, value, value)),
        input("int64", DataType.INT64, longs(value, value, value, value)),
        input("uint8", DataType.UINT8, bytes(value, value, value, value)),
        input("bool", DataType.BOOL, bools(true, true, true, true)),
        input("bytes", DataType.BYTES, strings(text, text, text, text)));
  }

  private static HostTensor input(String name, DataType type, ByteString data) {
    return new HostTensor(name, type, ROWS_2x2, data);
  }

  private static Map<String, HostTensor> byName(List<HostTensor> tensors) {
    return tensors.stream().collect(Collectors.toMap(HostTensor::name, Function.identity()));
  }
}
