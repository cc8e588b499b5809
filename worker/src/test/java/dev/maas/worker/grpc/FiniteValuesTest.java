package dev.maas.worker.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.maas.proto.inference.InferTensorContents;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.worker.batching.BatchingConfig;
import dev.maas.worker.tensor.DataType;
import dev.maas.worker.tensor.ModelSignature;
import dev.maas.worker.tensor.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** NaN and ±Inf in FP32 and FP64 inputs, raw and typed, refused unless the model allows them. */
class FiniteValuesTest {

  private static final BatchingConfig BATCHING = new BatchingConfig(8, 0, List.of(), 1024, 1);
  private static final ModelSignature SIGNATURE =
      new ModelSignature(
          List.of(
              new TensorSpec("f", DataType.FP32, new long[] {-1, 3}),
              new TensorSpec("d", DataType.FP64, new long[] {-1, 3})),
          List.of(new TensorSpec("y", DataType.FP32, new long[] {-1, 3})));

  // Extremes that are finite: largest, smallest subnormal, negative zero.
  private static final float[] FINITE_FLOATS = {
    Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -0f, 1f, -1e-30f
  };
  private static final double[] FINITE_DOUBLES = {
    Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -0d, 1d, -1e-300
  };

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void finiteExtremes_pass(boolean raw) {
    DecodedRequest decoded =
        InferRequestDecoder.decode(
            request(FINITE_FLOATS, FINITE_DOUBLES, raw), SIGNATURE, BATCHING, false);

    assertThat(decoded.items()).isEqualTo(2);
    assertThat(decoded.inputs().get(0).data()).isEqualTo(floats(FINITE_FLOATS));
    assertThat(decoded.inputs().get(1).data()).isEqualTo(doubles(FINITE_DOUBLES));
  }

  @ParameterizedTest
  @ValueSource(ints = {0x7fc00000, 0x7fc00001, 0xffc00000, 0x7f800001, 0x7f800000, 0xff800000})
  void nonFiniteFloatBitPatterns_areRefusedRaw_namingTheFirstBadElement(int bits) {
    float[] values = FINITE_FLOATS.clone();
    values[4] = Float.intBitsToFloat(bits);
    values[5] = Float.NaN;

    assertThatThrownBy(
            () ->
                InferRequestDecoder.decode(
                    request(values, FINITE_DOUBLES, true), SIGNATURE, BATCHING, false))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("input 'f' holds " + (double) Float.intBitsToFloat(bits))
        .hasMessageContaining("at index [1, 1] (element 4), expected finite FP32 values");
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void nonFiniteDoubles_areRefused_rawAndTyped(boolean raw) {
    double[] values = FINITE_DOUBLES.clone();
    values[2] = Double.NEGATIVE_INFINITY;

    assertThatThrownBy(
            () ->
                InferRequestDecoder.decode(
                    request(FINITE_FLOATS, values, raw), SIGNATURE, BATCHING, false))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("input 'd' holds -Infinity at index [0, 2] (element 2)")
        .hasMessageContaining("expected finite FP64 values")
        .hasMessageContaining("allow_non_finite_inputs");
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void nonFiniteValues_pass_whenTheModelAllowsThem(boolean raw) {
    float[] values = {Float.NaN, Float.POSITIVE_INFINITY, 0f, 0f, 0f, Float.NEGATIVE_INFINITY};

    DecodedRequest decoded =
        InferRequestDecoder.decode(request(values, FINITE_DOUBLES, raw), SIGNATURE, BATCHING, true);

    assertThat(decoded.inputs().get(0).data()).isEqualTo(floats(values));
  }

  @Test
  void typedNaN_isRefusedNamingItsIndex() {
    float[] values = FINITE_FLOATS.clone();
    values[3] = Float.NaN;

    assertThatThrownBy(
            () ->
                InferRequestDecoder.decode(
                    request(values, FINITE_DOUBLES, false), SIGNATURE, BATCHING, false))
        .hasMessageContaining("input 'f' holds NaN at index [1, 0] (element 3)");
  }

  private static ModelInferRequest request(float[] f, double[] d, boolean raw) {
    ModelInferRequest.Builder request =
        ModelInferRequest.newBuilder()
            .setModelName("m")
            .addInputs(InferRequests.input("f", "FP32", 2, 3))
            .addInputs(InferRequests.input("d", "FP64", 2, 3));
    if (raw) {
      return request.addRawInputContents(floats(f)).addRawInputContents(doubles(d)).build();
    }
    InferTensorContents.Builder fc = InferTensorContents.newBuilder();
    for (float v : f) {
      fc.addFp32Contents(v);
    }
    InferTensorContents.Builder dc = InferTensorContents.newBuilder();
    for (double v : d) {
      dc.addFp64Contents(v);
    }
    request.getInputsBuilder(0).setContents(fc);
    request.getInputsBuilder(1).setContents(dc);
    return request.build();
  }

  private static ByteString floats(float[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      buffer.putInt(Float.floatToRawIntBits(v));
    }
    return ByteString.copyFrom(buffer.array());
  }

  private static ByteString doubles(double[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      buffer.putLong(Double.doubleToRawLongBits(v));
    }
    return ByteString.copyFrom(buffer.array());
  }
}
