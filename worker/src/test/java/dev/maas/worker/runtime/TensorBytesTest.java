package dev.maas.worker.runtime;

import static dev.maas.worker.runtime.RawEncoding.bools;
import static dev.maas.worker.runtime.RawEncoding.bytes;
import static dev.maas.worker.runtime.RawEncoding.doubles;
import static dev.maas.worker.runtime.RawEncoding.floats;
import static dev.maas.worker.runtime.RawEncoding.ints;
import static dev.maas.worker.runtime.RawEncoding.longs;
import static dev.maas.worker.runtime.RawEncoding.rope;
import static dev.maas.worker.runtime.RawEncoding.shorts;
import static dev.maas.worker.runtime.RawEncoding.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.maas.worker.tensor.DataType;
import dev.maas.worker.tensor.HostTensor;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Tensor;

class TensorBytesTest {

  @BeforeAll
  static void registerNarrowIntegers() {
    NarrowIntegerTypes.register();
  }

  static Stream<Arguments> everyType() {
    return Stream.of(
        Arguments.of(
            DataType.FP32,
            floats(
                -1.5f, Float.NaN, Float.intBitsToFloat(0x7fc00001), -0f, Float.MIN_VALUE, 3e38f)),
        Arguments.of(DataType.FP64, doubles(-2.25, Double.NaN, -0d, Double.MAX_VALUE, 1e-310, 7)),
        Arguments.of(DataType.INT8, bytes(-128, -1, 0, 1, 127, 42)),
        Arguments.of(
            DataType.INT16,
            shorts((short) -32768, (short) -1, (short) 0, (short) 1, (short) 32767, (short) 300)),
        Arguments.of(DataType.INT32, ints(Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE, 65536)),
        Arguments.of(DataType.INT64, longs(Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE, 1L << 40)),
        Arguments.of(DataType.UINT8, bytes(0, 1, 127, 128, 255, 200)),
        Arguments.of(DataType.BOOL, bools(true, false, false, true, true, false)),
        Arguments.of(DataType.BYTES, strings("a", "", "größer", "\0\1\2", "", "last one")));
  }

  @ParameterizedTest
  @MethodSource("everyType")
  void roundTrip_keepsEveryByteOfEveryType(DataType type, ByteString data) {
    HostTensor input = new HostTensor("x", type, new long[] {3, 2}, data);

    HostTensor output = roundTrip(input);

    assertThat(output.dataType()).isEqualTo(type);
    assertThat(output.shape()).containsExactly(3, 2);
    assertThat(output.data()).isEqualTo(data);
  }

  @ParameterizedTest
  @MethodSource("everyType")
  void roundTrip_ofRopeWithSeveralParts_keepsEveryByte(DataType type, ByteString sixElements) {
    // ByteString.concat flattens pieces under 128 bytes, so repeat the elements to get a real rope.
    ByteString data = ByteString.copyFrom(Collections.nCopies(200, sixElements));
    ByteString rope = rope(data, 5);
    assertThat(rope.asReadOnlyByteBufferList()).hasSizeGreaterThanOrEqualTo(5);
    HostTensor input = new HostTensor("x", type, new long[] {600, 2}, rope);

    assertThat(roundTrip(input).data()).isEqualTo(data);
  }

  @ParameterizedTest
  @MethodSource("everyType")
  void roundTrip_ofZeroRows_givesZeroRows(DataType type, ByteString ignored) {
    HostTensor input = new HostTensor("x", type, new long[] {0, 2}, ByteString.EMPTY);

    HostTensor output = roundTrip(input);

    assertThat(output.shape()).containsExactly(0, 2);
    assertThat(output.data().size()).isZero();
  }

  @Test
  void roundTrip_ofScalar_keepsItsEmptyShape() {
    HostTensor input = new HostTensor("x", DataType.INT16, new long[0], shorts((short) -7));

    HostTensor output = roundTrip(input);

    assertThat(output.shape()).isEmpty();
    assertThat(output.data()).isEqualTo(shorts((short) -7));
  }

  @Test
  void roundTrip_ofLargeRopeOfUnevenParts_keepsEveryByte() {
    byte[] random = new byte[3_000_001 * 4];
    new Random(7).nextBytes(random);
    ByteString data = ByteString.copyFrom(random);
    HostTensor input = new HostTensor("x", DataType.FP32, new long[] {3_000_001, 1}, rope(data, 7));

    assertThat(roundTrip(input).data()).isEqualTo(data);
  }

  @Test
  void roundTrip_ofDirectBufferData_keepsEveryByte() {
    byte[] random = new byte[200_000 * 8];
    new Random(11).nextBytes(random);
    ByteBuffer direct = ByteBuffer.allocateDirect(random.length).put(random).flip();
    ByteString data = UnsafeByteOperations.unsafeWrap(direct);
    HostTensor input = new HostTensor("x", DataType.INT64, new long[] {100_000, 2}, data);

    assertThat(roundTrip(input).data()).isEqualTo(ByteString.copyFrom(random));
  }

  @Test
  void toTensor_withTooFewBytes_rejectsInput() {
    HostTensor input = new HostTensor("x", DataType.FP32, new long[] {2, 2}, floats(1, 2, 3));

    assertThatThrownBy(() -> TensorBytes.toTensor(input))
        .isInstanceOfSatisfying(
            ModelExecutionException.class, e -> assertThat(e.invalidInput()).isTrue())
        .hasMessageContaining("needs 16 bytes, got 12");
  }

  @Test
  void toTensor_withBytesElementLongerThanTheData_rejectsInput() {
    ByteString data = ints(1000).concat(ByteString.copyFromUtf8("short"));
    HostTensor input = new HostTensor("x", DataType.BYTES, new long[] {1}, data);

    assertThatThrownBy(() -> TensorBytes.toTensor(input))
        .isInstanceOfSatisfying(
            ModelExecutionException.class, e -> assertThat(e.invalidInput()).isTrue())
        .hasMessageContaining("claims 1000 bytes");
  }

  @Test
  void toTensor_withBytesLeftAfterTheLastElement_rejectsInput() {
    HostTensor input = new HostTensor("x", DataType.BYTES, new long[] {1}, strings("a", "b"));

    assertThatThrownBy(() -> TensorBytes.toTensor(input))
        .isInstanceOfSatisfying(
            ModelExecutionException.class, e -> assertThat(e.invalidInput()).isTrue())
        .hasMessageContaining("left over");
  }

  @Test
  void toTensor_withTruncatedBytesLength_rejectsInput() {
    HostTensor input =
        new HostTensor("x", DataType.BYTES, new long[] {2}, strings("a").concat(bytes(1, 0)));

    assertThatThrownBy(() -> TensorBytes.toTensor(input))
        .isInstanceOfSatisfying(
            ModelExecutionException.class, e -> assertThat(e.invalidInput()).isTrue());
  }

  private static HostTensor roundTrip(HostTensor input) {
    try (Tensor tensor = TensorBytes.toTensor(input)) {
      return TensorBytes.toHost("y", tensor);
    }
  }
}
