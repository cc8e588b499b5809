package dev.maas.worker.grpc;

import static dev.maas.worker.grpc.StatusAssertions.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.maas.proto.inference.InferTensorContents;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferRequest.InferRequestedOutputTensor;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.worker.testing.WorkerExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every malformed request is refused with INVALID_ARGUMENT and a message that names the input and
 * says what was expected and what came, and refusing it disturbs no valid request.
 */
class InvalidInputTest {

  @RegisterExtension static final WorkerExtension worker = WorkerExtension.withDemoModels();

  private static final long[] ROWS_OF_FOUR = {2, 4};
  private static final float[] EIGHT = {1, 2, 3, 4, 5, 6, 7, 8};

  @Test
  void unknownInput_namesItAndTheModelsInputs() {
    assertInvalid(InferRequests.typedFloats("affine", "z", ROWS_OF_FOUR, EIGHT))
        .contains("unknown input 'z'", "x (FP32 [-1,4])");
  }

  @Test
  void missingInput_namesIt() {
    ModelInferRequest onlyIds =
        ModelInferRequest.newBuilder()
            .setModelName("strings")
            .addInputs(
                InferRequests.input("ids", "INT64", 1, 3)
                    .setContents(InferTensorContents.newBuilder().addAllInt64Contents(ids(3))))
            .build();

    assertInvalid(onlyIds).contains("missing input 'text'", "text (BYTES [-1])");
  }

  @Test
  void inputGivenTwice_namesIt() {
    ModelInferRequest twice =
        InferRequests.typedFloats("affine", "x", ROWS_OF_FOUR, EIGHT).toBuilder()
            .addInputs(InferRequests.typedFloats("affine", "x", ROWS_OF_FOUR, EIGHT).getInputs(0))
            .build();

    assertInvalid(twice).contains("input 'x'", "more than once");
  }

  @Test
  void wrongDatatype_namesExpectedAndReceived() {
    ModelInferRequest fp64 =
        affine(
            r ->
                r.setInputs(
                    0,
                    InferRequests.input("x", "FP64", 2, 4)
                        .setContents(
                            InferTensorContents.newBuilder()
                                .addAllFp64Contents(List.of(1d, 2d, 3d, 4d, 5d, 6d, 7d, 8d)))));

    assertInvalid(fp64).contains("input 'x'", "FP64", "expected FP32");
  }

  @Test
  void unknownDatatypeString_namesExpectedAndReceived() {
    ModelInferRequest float32 =
        affine(r -> r.setInputs(0, r.getInputs(0).toBuilder().setDatatype("FLOAT32")));

    assertInvalid(float32).contains("input 'x'", "'FLOAT32'", "expected FP32");
  }

  @Test
  void wrongRank_namesExpectedAndReceivedShapes() {
    assertInvalid(InferRequests.typedFloats("affine", "x", new long[] {8}, EIGHT))
        .contains("input 'x'", "shape [8]", "expected [-1,4]");
  }

  @Test
  void wrongFixedDimension_namesExpectedAndReceivedShapes() {
    assertInvalid(
            InferRequests.typedFloats(
                "affine", "x", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}))
        .contains("input 'x'", "shape [2,3]", "expected [-1,4]");
  }

  @Test
  void negativeDimension_isRefused() {
    assertInvalid(InferRequests.typedFloats("affine", "x", new long[] {-1, 4}, EIGHT))
        .contains("input 'x'", "shape [-1,4]");
    assertInvalid(InferRequests.rawFloats("affine", "x", new long[] {-2, -4}, EIGHT))
        .contains("input 'x'", "shape [-2,-4]");
  }

  @Test
  void rawByteLengthNotMatchingTheShape_namesBothLengths() {
    ModelInferRequest shortByFour =
        affine(
            r ->
                r.clearInputs()
                    .addInputs(InferRequests.input("x", "FP32", 2, 4))
                    .addRawInputContents(RawTensors.floats(1, 2, 3, 4, 5, 6, 7)));

    assertInvalid(shortByFour).contains("input 'x'", "28 raw bytes", "expected 32");
  }

  @Test
  void rawBytesLengthPrefixRunningPastTheEnd_namesTheElement() {
    ByteString overrun =
        RawTensors.strings(ByteString.copyFromUtf8("ok"))
            .concat(RawTensors.ints(100))
            .concat(ByteString.copyFromUtf8("abc"));

    assertInvalid(rawStrings(2, overrun))
        .contains("input 'text'", "BYTES element 1", "length prefix 100", "past the end");
  }

  @Test
  void rawBytesWithFewerElementsThanTheShape_namesBothCounts() {
    ByteString oneElement = RawTensors.strings(ByteString.copyFromUtf8("only"));

    assertInvalid(rawStrings(2, oneElement))
        .contains("input 'text'", "holding 1 elements", "expected 2");
  }

  @Test
  void rawBoolByteOtherThanZeroOrOne_isRefused() {
    ModelInferRequest.Builder request = rawDtypes();
    int bool = indexOfInput(request, "bool");
    request.setRawInputContents(bool, RawTensors.bytes(1, 0, 2, 0));

    assertInvalid(request.build()).contains("input 'bool'", "byte value 2");
  }

  @Test
  void typedCountNotMatchingTheShape_namesBothCounts() {
    assertInvalid(
            InferRequests.typedFloats(
                "affine", "x", ROWS_OF_FOUR, new float[] {1, 2, 3, 4, 5, 6, 7}))
        .contains("input 'x'", "8 elements", "fp32_contents holds 7 values");
  }

  @Test
  void valuesInTheWrongContentsField_nameTheRightField() {
    ModelInferRequest inFp64 =
        affine(
            r ->
                r.setInputs(
                    0,
                    InferRequests.input("x", "FP32", 2, 4)
                        .setContents(
                            InferTensorContents.newBuilder()
                                .addAllFp64Contents(List.of(1d, 2d, 3d, 4d, 5d, 6d, 7d, 8d)))));

    assertInvalid(inFp64).contains("input 'x'", "fp32_contents");
  }

  @Test
  void int8ValueOutOfRange_namesTheValueAndTheRange() {
    assertInvalid(typedDtypesWith("int8", c -> c.addAllIntContents(List.of(0, 128, 0, 0))))
        .contains("input 'int8'", "128", "INT8 [-128, 127]");
    assertInvalid(typedDtypesWith("int8", c -> c.addAllIntContents(List.of(0, 0, -129, 0))))
        .contains("input 'int8'", "-129", "INT8 [-128, 127]");
  }

  @Test
  void int16AndUint8ValuesOutOfRange_nameTheValueAndTheRange() {
    assertInvalid(typedDtypesWith("int16", c -> c.addAllIntContents(List.of(0, 32768, 0, 0))))
        .contains("input 'int16'", "32768", "INT16");
    assertInvalid(typedDtypesWith("uint8", c -> c.addAllUintContents(List.of(0, 256, 0, 0))))
        .contains("input 'uint8'", "256", "UINT8 [0, 255]");
  }

  @Test
  void typedAndRawMixed_isRefused() {
    ModelInferRequest mixed =
        InferRequests.typedFloats("affine", "x", ROWS_OF_FOUR, EIGHT).toBuilder()
            .addRawInputContents(RawTensors.floats(EIGHT))
            .build();

    assertInvalid(mixed).contains("input 'x'", "typed contents", "raw_input_contents");
  }

  @Test
  void typedAndRawMixedAcrossInputs_isRefused() {
    ModelInferRequest mixed =
        ModelInferRequest.newBuilder()
            .setModelName("strings")
            .addInputs(
                InferRequests.input("ids", "INT64", 1, 3)
                    .setContents(InferTensorContents.newBuilder().addAllInt64Contents(ids(3))))
            .addInputs(InferRequests.input("text", "BYTES", 1))
            .addRawInputContents(RawTensors.longs(1, 2, 3))
            .addRawInputContents(RawTensors.strings(ByteString.copyFromUtf8("a")))
            .build();

    assertInvalid(mixed).contains("input 'ids'", "typed contents", "raw_input_contents");
  }

  @Test
  void rawContentsCountNotMatchingInputsCount_namesBothCounts() {
    ModelInferRequest oneRawForTwoInputs =
        ModelInferRequest.newBuilder()
            .setModelName("strings")
            .addInputs(InferRequests.input("ids", "INT64", 1, 3))
            .addInputs(InferRequests.input("text", "BYTES", 1))
            .addRawInputContents(RawTensors.longs(1, 2, 3))
            .build();

    assertInvalid(oneRawForTwoInputs).contains("raw_input_contents has 1 entries", "2 inputs");
  }

  @Test
  void batchLargerThanMaxBatchSize_namesBothSizes() {
    long[] shape = {33, 32, 32, 3};
    float[] images = new float[33 * 32 * 32 * 3];

    assertInvalid(InferRequests.rawFloats("lenet", "images", shape, images))
        .contains("input 'images'", "batch size 33", "max_batch_size 32");
  }

  @Test
  void inputsDisagreeingOnBatchSize_nameTheSizes() {
    ModelInferRequest disagreeing =
        ModelInferRequest.newBuilder()
            .setModelName("strings")
            .addInputs(InferRequests.input("ids", "INT64", 2, 3))
            .addInputs(InferRequests.input("text", "BYTES", 3))
            .addRawInputContents(RawTensors.longs(1, 2, 3, 4, 5, 6))
            .addRawInputContents(
                RawTensors.strings(
                    ByteString.copyFromUtf8("a"),
                    ByteString.copyFromUtf8("b"),
                    ByteString.copyFromUtf8("c")))
            .build();

    assertInvalid(disagreeing).contains("batch size", "input 'text' has 3", "2");
  }

  @Test
  void unknownRequestedOutput_namesItAndTheModelsOutputs() {
    ModelInferRequest request =
        affine(r -> r.addOutputs(InferRequestedOutputTensor.newBuilder().setName("nope")));

    assertInvalid(request).contains("unknown output 'nope'", "y (FP32 [-1,4])");
  }

  @Test
  void emptyModelName_isRefused() {
    assertInvalid(InferRequests.typedFloats("", "x", ROWS_OF_FOUR, EIGHT))
        .contains("model name is empty");
  }

  @Test
  void badRequestsInterleavedWithValidOnes_failAloneWhileEachValidOneGetsItsOwnAnswer()
      throws Exception {
    List<UnaryOperator<ModelInferRequest.Builder>> breakages =
        List.of(
            r -> r.setInputs(0, r.getInputs(0).toBuilder().setName("z")),
            r -> r.setInputs(0, r.getInputs(0).toBuilder().setDatatype("FP64")),
            r -> r.setInputs(0, r.getInputs(0).toBuilder().clearShape().addShape(3).addShape(4)),
            r -> r.addRawInputContents(RawTensors.floats(1, 2, 3)),
            r -> r.addOutputs(InferRequestedOutputTensor.newBuilder().setName("nope")));
    ExecutorService clients = Executors.newFixedThreadPool(6);
    try {
      List<CompletableFuture<ModelInferResponse>> valid = new ArrayList<>();
      List<CompletableFuture<Status.Code>> invalid = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        ModelInferRequest good = affineRows(i);
        valid.add(CompletableFuture.supplyAsync(() -> worker.blocking().modelInfer(good), clients));
        ModelInferRequest bad = breakages.get(i % breakages.size()).apply(good.toBuilder()).build();
        invalid.add(CompletableFuture.supplyAsync(() -> failureCode(bad), clients));
      }

      for (int i = 0; i < 50; i++) {
        ModelInferResponse response = valid.get(i).get(30, TimeUnit.SECONDS);
        assertThat(response.getId()).isEqualTo("request-" + i);
        assertThat(InferRequests.outputFloats(response, 0))
            .as("answer to request %d", i)
            .containsExactly(affineAnswer(i));
        assertThat(invalid.get(i).get(30, TimeUnit.SECONDS))
            .as("bad request %d", i)
            .isEqualTo(Status.Code.INVALID_ARGUMENT);
      }
    } finally {
      clients.shutdownNow();
    }
  }

  /** Request {@code i}: two rows of affine input, distinct from every other request's. */
  private static ModelInferRequest affineRows(int i) {
    float[] x = new float[8];
    for (int k = 0; k < 8; k++) {
      x[k] = i * 8 + k;
    }
    return InferRequests.typedFloats("affine", "x", ROWS_OF_FOUR, x).toBuilder()
        .setId("request-" + i)
        .build();
  }

  private static float[] affineAnswer(int i) {
    float[] y = new float[8];
    for (int k = 0; k < 8; k++) {
      y[k] = 2 * (i * 8 + k) + 1;
    }
    return y;
  }

  private static Status.Code failureCode(ModelInferRequest request) {
    try {
      worker.blocking().modelInfer(request);
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  private static AbstractStringAssert<?> assertInvalid(ModelInferRequest request) {
    return assertFailsWith(
        Status.Code.INVALID_ARGUMENT, () -> worker.blocking().modelInfer(request));
  }

  /** A valid typed affine request, changed by {@code change}. */
  private static ModelInferRequest affine(UnaryOperator<ModelInferRequest.Builder> change) {
    return change
        .apply(InferRequests.typedFloats("affine", "x", ROWS_OF_FOUR, EIGHT).toBuilder())
        .build();
  }

  private static ModelInferRequest rawStrings(int rows, ByteString text) {
    return ModelInferRequest.newBuilder()
        .setModelName("strings")
        .addInputs(InferRequests.input("ids", "INT64", rows, 3))
        .addInputs(InferRequests.input("text", "BYTES", rows))
        .addRawInputContents(RawTensors.longs(new long[rows * 3]))
        .addRawInputContents(text)
        .build();
  }

  private static List<Long> ids(int count) {
    List<Long> ids = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      ids.add(i);
    }
    return ids;
  }

  /** A valid raw dtypes request: two rows of zeros for every input. */
  private static ModelInferRequest.Builder rawDtypes() {
    return ModelInferRequest.newBuilder()
        .setModelName("dtypes")
        .addInputs(InferRequests.input("fp32", "FP32", 2, 2))
        .addRawInputContents(RawTensors.floats(0, 0, 0, 0))
        .addInputs(InferRequests.input("fp64", "FP64", 2, 2))
        .addRawInputContents(RawTensors.doubles(0, 0, 0, 0))
        .addInputs(InferRequests.input("int8", "INT8", 2, 2))
        .addRawInputContents(RawTensors.bytes(0, 0, 0, 0))
        .addInputs(InferRequests.input("int16", "INT16", 2, 2))
        .addRawInputContents(RawTensors.shorts(0, 0, 0, 0))
        .addInputs(InferRequests.input("int32", "INT32", 2, 2))
        .addRawInputContents(RawTensors.ints(0, 0, 0, 0))
        .addInputs(InferRequests.input("int64", "INT64", 2, 2))
        .addRawInputContents(RawTensors.longs(0, 0, 0, 0))
        .addInputs(InferRequests.input("uint8", "UINT8", 2, 2))
        .addRawInputContents(RawTensors.bytes(0, 0, 0, 0))
        .addInputs(InferRequests.input("bool", "BOOL", 2, 2))
        .addRawInputContents(RawTensors.bools(false, false, false, false))
        .addInputs(InferRequests.input("bytes", "BYTES", 2, 2))
        .addRawInputContents(RawTensors.strings(empty(), empty(), empty(), empty()));
  }

  /** A valid typed dtypes request whose input {@code name} gets the contents {@code fill} sets. */
  private static ModelInferRequest typedDtypesWith(
      String name, Consumer<InferTensorContents.Builder> fill) {
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName("dtypes");
    for (String[] input :
        new String[][] {
          {"fp32", "FP32"}, {"fp64", "FP64"}, {"int8", "INT8"}, {"int16", "INT16"},
          {"int32", "INT32"}, {"int64", "INT64"}, {"uint8", "UINT8"}, {"bool", "BOOL"},
          {"bytes", "BYTES"}
        }) {
      InferTensorContents.Builder contents = InferTensorContents.newBuilder();
      if (input[0].equals(name)) {
        fill.accept(contents);
      } else {
        zeros(input[1], contents);
      }
      request.addInputs(InferRequests.input(input[0], input[1], 2, 2).setContents(contents));
    }
    return request.build();
  }

  private static void zeros(String datatype, InferTensorContents.Builder contents) {
    for (int i = 0; i < 4; i++) {
      switch (datatype) {
        case "FP32" -> contents.addFp32Contents(0);
        case "FP64" -> contents.addFp64Contents(0);
        case "INT8", "INT16", "INT32" -> contents.addIntContents(0);
        case "INT64" -> contents.addInt64Contents(0);
        case "UINT8" -> contents.addUintContents(0);
        case "BOOL" -> contents.addBoolContents(false);
        case "BYTES" -> contents.addBytesContents(empty());
        default -> throw new IllegalArgumentException(datatype);
      }
    }
  }

  private static int indexOfInput(ModelInferRequest.Builder request, String name) {
    for (int i = 0; i < request.getInputsCount(); i++) {
      if (request.getInputs(i).getName().equals(name)) {
        return i;
      }
    }
    throw new AssertionError("no input " + name);
  }

  private static ByteString empty() {
    return ByteString.EMPTY;
  }
}
