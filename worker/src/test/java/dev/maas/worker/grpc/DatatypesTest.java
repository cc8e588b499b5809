package dev.maas.worker.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.maas.proto.inference.InferTensorContents;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.ModelInferResponse.InferOutputTensor;
import dev.maas.worker.testing.WorkerExtension;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every served datatype through the whole data path, typed and raw: the {@code strings} and {@code
 * dtypes} demo models, with boundary values and exact expected outputs.
 */
class DatatypesTest {

  @RegisterExtension static final WorkerExtension worker = WorkerExtension.withDemoModels();

  private static final ByteString EMPTY = ByteString.EMPTY;
  private static final ByteString ASCII = utf8("hello, World");
  // "héllo ✓" in UTF-8: multi-byte sequences that ASCII upper-casing must leave alone.
  private static final ByteString UTF8 = utf8("h\u00e9llo \u2713");
  private static final ByteString BINARY = bytes(0x00, 0xff, 'a', 0x80, 'z');

  // strings inputs: ids [4, 3] (rows of three) and text [4], and the row sums of ids; the second
  // row sums to MAX + MIN + 0 = -1.
  private static final long[] IDS = {
    -1, 2, 3, Long.MAX_VALUE, Long.MIN_VALUE, 0, 10, 20, 30, 0, 0, 0
  };
  private static final long[] IDS_SUM = {4, -1, 60, 0};

  // dtypes inputs, each shaped [2, 2], and what DtypesModel computes from them: floats times two,
  // integers plus one with wrap-around, booleans negated, byte strings with "!" appended.
  private static final Float[] FP32 = {1.5f, -0.0f, Float.MAX_VALUE, -3.25e-30f};
  private static final Float[] FP32_OUT = {3f, -0.0f, Float.POSITIVE_INFINITY, -6.5e-30f};
  private static final Double[] FP64 = {0.1, -0.0, Double.MAX_VALUE, -1e-300};
  private static final Double[] FP64_OUT = {0.2, -0.0, Double.POSITIVE_INFINITY, -2e-300};
  private static final int[] INT8 = {-128, 127, 0, -1};
  private static final int[] INT8_OUT = {-127, -128, 1, 0};
  private static final int[] INT16 = {Short.MIN_VALUE, Short.MAX_VALUE, 0, -1};
  private static final int[] INT16_OUT = {Short.MIN_VALUE + 1, Short.MIN_VALUE, 1, 0};
  private static final int[] INT32 = {Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1};
  private static final int[] INT32_OUT = {Integer.MIN_VALUE + 1, Integer.MIN_VALUE, 1, 0};
  private static final long[] INT64 = {Long.MIN_VALUE + 1, Long.MAX_VALUE, Long.MIN_VALUE, -1};
  private static final long[] INT64_OUT = {
    Long.MIN_VALUE + 2, Long.MIN_VALUE, Long.MIN_VALUE + 1, 0
  };
  private static final int[] UINT8 = {0, 1, 254, 255};
  private static final int[] UINT8_OUT = {1, 2, 255, 0};
  private static final Boolean[] BOOL = {true, false, false, true};
  private static final Boolean[] BOOL_OUT = {false, true, true, false};
  private static final ByteString[] BYTES = {EMPTY, ASCII, UTF8, BINARY};
  private static final ByteString[] BYTES_OUT = {
    utf8("!"), ASCII.concat(utf8("!")), UTF8.concat(utf8("!")), BINARY.concat(utf8("!"))
  };

  @Test
  void strings_typed_sumsIdsAndMeasuresAndUpperCasesText() {
    ModelInferRequest request =
        ModelInferRequest.newBuilder()
            .setModelName("strings")
            .addInputs(
                InferRequests.input("ids", "INT64", 4, 3)
                    .setContents(InferTensorContents.newBuilder().addAllInt64Contents(boxed(IDS))))
            .addInputs(
                InferRequests.input("text", "BYTES", 4)
                    .setContents(
                        InferTensorContents.newBuilder()
                            .addAllBytesContents(List.of(EMPTY, ASCII, UTF8, BINARY))))
            .build();

    ModelInferResponse response = worker.blocking().modelInfer(request);

    assertThat(InferRequests.outputNames(response))
        .containsExactly("ids_sum", "text_length", "text_upper");
    InferOutputTensor sum = InferRequests.output(response, "ids_sum");
    assertThat(sum.getDatatype()).isEqualTo("INT64");
    assertThat(sum.getShapeList()).containsExactly(4L);
    assertThat(sum.getContents().getInt64ContentsList()).containsExactlyElementsOf(boxed(IDS_SUM));
    InferOutputTensor length = InferRequests.output(response, "text_length");
    assertThat(length.getDatatype()).isEqualTo("INT32");
    assertThat(length.getContents().getIntContentsList()).containsExactly(expectedLengths());
    InferOutputTensor upper = InferRequests.output(response, "text_upper");
    assertThat(upper.getDatatype()).isEqualTo("BYTES");
    assertThat(upper.getShapeList()).containsExactly(4L);
    assertThat(upper.getContents().getBytesContentsList())
        .containsExactlyElementsOf(expectedUpper());
    assertThat(response.getRawOutputContentsCount()).isZero();
  }

  @Test
  void strings_raw_sumsIdsAndMeasuresAndUpperCasesText() {
    ModelInferRequest request =
        ModelInferRequest.newBuilder()
            .setModelName("strings")
            .addInputs(InferRequests.input("ids", "INT64", 4, 3))
            .addInputs(InferRequests.input("text", "BYTES", 4))
            .addRawInputContents(RawTensors.longs(IDS))
            .addRawInputContents(RawTensors.strings(EMPTY, ASCII, UTF8, BINARY))
            .build();

    ModelInferResponse response = worker.blocking().modelInfer(request);

    assertThat(InferRequests.outputNames(response))
        .containsExactly("ids_sum", "text_length", "text_upper");
    assertThat(response.getRawOutputContentsCount()).isEqualTo(3);
    assertThat(RawTensors.toLongs(InferRequests.rawOutput(response, "ids_sum")))
        .containsExactly(IDS_SUM);
    assertThat(RawTensors.toInts(InferRequests.rawOutput(response, "text_length")))
        .containsExactly(0, ASCII.size(), UTF8.size(), BINARY.size());
    assertThat(RawTensors.toStrings(InferRequests.rawOutput(response, "text_upper")))
        .containsExactlyElementsOf(expectedUpper());
    assertThat(InferRequests.output(response, "text_upper").getShapeList()).containsExactly(4L);
  }

  @Test
  void dtypes_typed_everyDatatypeComesBackComputedExactly() {
    ModelInferRequest request =
        ModelInferRequest.newBuilder()
            .setModelName("dtypes")
            .addInputs(typed("fp32", "FP32", c -> c.addAllFp32Contents(List.of(FP32))))
            .addInputs(typed("fp64", "FP64", c -> c.addAllFp64Contents(List.of(FP64))))
            .addInputs(typed("int8", "INT8", c -> c.addAllIntContents(boxed(INT8))))
            .addInputs(typed("int16", "INT16", c -> c.addAllIntContents(boxed(INT16))))
            .addInputs(typed("int32", "INT32", c -> c.addAllIntContents(boxed(INT32))))
            .addInputs(typed("int64", "INT64", c -> c.addAllInt64Contents(boxed(INT64))))
            .addInputs(typed("uint8", "UINT8", c -> c.addAllUintContents(boxed(UINT8))))
            .addInputs(typed("bool", "BOOL", c -> c.addAllBoolContents(List.of(BOOL))))
            .addInputs(typed("bytes", "BYTES", c -> c.addAllBytesContents(List.of(BYTES))))
            .build();

    ModelInferResponse response = worker.blocking().modelInfer(request);

    assertThat(response.getRawOutputContentsCount()).isZero();
    assertOutputTypesAndShapes(response);
    assertThat(contents(response, "fp32_out").getFp32ContentsList()).containsExactly(FP32_OUT);
    assertThat(contents(response, "fp64_out").getFp64ContentsList()).containsExactly(FP64_OUT);
    assertThat(contents(response, "int8_out").getIntContentsList())
        .containsExactlyElementsOf(boxed(INT8_OUT));
    assertThat(contents(response, "int16_out").getIntContentsList())
        .containsExactlyElementsOf(boxed(INT16_OUT));
    assertThat(contents(response, "int32_out").getIntContentsList())
        .containsExactlyElementsOf(boxed(INT32_OUT));
    assertThat(contents(response, "int64_out").getInt64ContentsList())
        .containsExactlyElementsOf(boxed(INT64_OUT));
    assertThat(contents(response, "uint8_out").getUintContentsList())
        .containsExactlyElementsOf(boxed(UINT8_OUT));
    assertThat(contents(response, "bool_out").getBoolContentsList()).containsExactly(BOOL_OUT);
    assertThat(contents(response, "bytes_out").getBytesContentsList()).containsExactly(BYTES_OUT);
  }

  @Test
  void dtypes_raw_everyDatatypeComesBackComputedExactly() {
    ModelInferRequest request =
        ModelInferRequest.newBuilder()
            .setModelName("dtypes")
            .addInputs(InferRequests.input("fp32", "FP32", 2, 2))
            .addRawInputContents(RawTensors.floats(unboxed(FP32)))
            .addInputs(InferRequests.input("fp64", "FP64", 2, 2))
            .addRawInputContents(RawTensors.doubles(unboxed(FP64)))
            .addInputs(InferRequests.input("int8", "INT8", 2, 2))
            .addRawInputContents(RawTensors.bytes(INT8))
            .addInputs(InferRequests.input("int16", "INT16", 2, 2))
            .addRawInputContents(RawTensors.shorts(INT16))
            .addInputs(InferRequests.input("int32", "INT32", 2, 2))
            .addRawInputContents(RawTensors.ints(INT32))
            .addInputs(InferRequests.input("int64", "INT64", 2, 2))
            .addRawInputContents(RawTensors.longs(INT64))
            .addInputs(InferRequests.input("uint8", "UINT8", 2, 2))
            .addRawInputContents(RawTensors.bytes(UINT8))
            .addInputs(InferRequests.input("bool", "BOOL", 2, 2))
            .addRawInputContents(RawTensors.bools(true, false, false, true))
            .addInputs(InferRequests.input("bytes", "BYTES", 2, 2))
            .addRawInputContents(RawTensors.strings(BYTES))
            .build();

    ModelInferResponse response = worker.blocking().modelInfer(request);

    assertThat(response.getRawOutputContentsCount()).isEqualTo(9);
    assertOutputTypesAndShapes(response);
    assertThat(RawTensors.toFloats(InferRequests.rawOutput(response, "fp32_out")))
        .containsExactly(unboxed(FP32_OUT));
    assertThat(RawTensors.toDoubles(InferRequests.rawOutput(response, "fp64_out")))
        .containsExactly(unboxed(FP64_OUT));
    assertThat(RawTensors.toSignedBytes(InferRequests.rawOutput(response, "int8_out")))
        .containsExactly(INT8_OUT);
    assertThat(RawTensors.toShorts(InferRequests.rawOutput(response, "int16_out")))
        .containsExactly(INT16_OUT);
    assertThat(RawTensors.toInts(InferRequests.rawOutput(response, "int32_out")))
        .containsExactly(INT32_OUT);
    assertThat(RawTensors.toLongs(InferRequests.rawOutput(response, "int64_out")))
        .containsExactly(INT64_OUT);
    assertThat(RawTensors.toUnsignedBytes(InferRequests.rawOutput(response, "uint8_out")))
        .containsExactly(UINT8_OUT);
    assertThat(RawTensors.toBools(InferRequests.rawOutput(response, "bool_out")))
        .containsExactly(false, true, true, false);
    assertThat(RawTensors.toStrings(InferRequests.rawOutput(response, "bytes_out")))
        .containsExactly(BYTES_OUT);
  }

  private static void assertOutputTypesAndShapes(ModelInferResponse response) {
    assertThat(InferRequests.outputNames(response))
        .containsExactly(
            "bool_out",
            "bytes_out",
            "fp32_out",
            "fp64_out",
            "int16_out",
            "int32_out",
            "int64_out",
            "int8_out",
            "uint8_out");
    for (InferOutputTensor output : response.getOutputsList()) {
      String type = output.getName().substring(0, output.getName().indexOf('_'));
      assertThat(output.getDatatype()).as(output.getName()).isEqualTo(type.toUpperCase());
      assertThat(output.getShapeList()).as(output.getName()).containsExactly(2L, 2L);
    }
  }

  private static InferTensorContents contents(ModelInferResponse response, String output) {
    InferTensorContents contents = InferRequests.output(response, output).getContents();
    assertThat(totalValues(contents)).as("values in %s", output).isEqualTo(4);
    return contents;
  }

  private static int totalValues(InferTensorContents contents) {
    return contents.getBoolContentsCount()
        + contents.getIntContentsCount()
        + contents.getInt64ContentsCount()
        + contents.getUintContentsCount()
        + contents.getUint64ContentsCount()
        + contents.getFp32ContentsCount()
        + contents.getFp64ContentsCount()
        + contents.getBytesContentsCount();
  }

  private static ModelInferRequest.InferInputTensor.Builder typed(
      String name, String datatype, Consumer<InferTensorContents.Builder> fill) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    fill.accept(contents);
    return InferRequests.input(name, datatype, 2, 2).setContents(contents);
  }

  private static Integer[] expectedLengths() {
    return new Integer[] {0, ASCII.size(), UTF8.size(), BINARY.size()};
  }

  /** ASCII upper case, byte by byte: every other byte stays as it is. */
  private static List<ByteString> expectedUpper() {
    return List.of(
        EMPTY, utf8("HELLO, WORLD"), utf8("H\u00e9LLO \u2713"), bytes(0x00, 0xff, 'A', 0x80, 'Z'));
  }

  private static ByteString utf8(String text) {
    return ByteString.copyFrom(text.getBytes(StandardCharsets.UTF_8));
  }

  private static ByteString bytes(int... values) {
    return RawTensors.bytes(values);
  }

  private static List<Integer> boxed(int[] values) {
    return Arrays.stream(values).boxed().toList();
  }

  private static List<Long> boxed(long[] values) {
    return Arrays.stream(values).boxed().toList();
  }

  private static float[] unboxed(Float[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  private static double[] unboxed(Double[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
