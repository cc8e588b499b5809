package dev.maas.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorTest {

  @Test
  void floatsKeepTheirValuesShapeAndLittleEndianBytes() {
    Tensor tensor = Tensor.ofFloats("x", new float[] {1f, -2.5f, 3f, 4f}, 2, 2);

    assertThat(tensor.dataType()).isEqualTo(DataType.FP32);
    assertThat(tensor.shape()).containsExactly(2, 2);
    assertThat(tensor.elementCount()).isEqualTo(4);
    assertThat(tensor.asFloats()).containsExactly(1f, -2.5f, 3f, 4f);
    assertThat(ByteBuffer.wrap(tensor.rawBytes()).order(ByteOrder.LITTLE_ENDIAN).getFloat(4))
        .isEqualTo(-2.5f);
  }

  @Test
  void withoutAShapeATensorIsOneDimensional() {
    assertThat(Tensor.ofLongs("ids", new long[] {1, 2, 3}).shape()).containsExactly(3);
    assertThat(Tensor.ofStrings("text", new String[] {"a", "bc"}).shape()).containsExactly(2);
  }

  @Test
  void everyFactoryRoundTripsThroughItsView() {
    assertThat(Tensor.ofDoubles("d", new double[] {0.5, -1}).asDoubles()).containsExactly(0.5, -1);
    assertThat(Tensor.ofInts("i", new int[] {7, -8}).asInts()).containsExactly(7, -8);
    assertThat(Tensor.ofShorts("s", new short[] {300, -2}).asInts()).containsExactly(300, -2);
    assertThat(Tensor.ofLongs("l", new long[] {1L << 40}).asLongs()).containsExactly(1L << 40);
    assertThat(Tensor.ofInt8("b", new byte[] {-1, 5}).asInts()).containsExactly(-1, 5);
    assertThat(Tensor.ofUint8("u", new byte[] {(byte) 255, 5}).asInts()).containsExactly(255, 5);
    assertThat(Tensor.ofBooleans("t", new boolean[] {true, false}).asBooleans())
        .containsExactly(true, false);
    assertThat(Tensor.ofStrings("s", new String[] {"héllo", ""}).asStrings())
        .containsExactly("héllo", "");
  }

  @Test
  void asDoublesWidensEveryNumericType() {
    assertThat(Tensor.ofInts("i", new int[] {3}).asDoubles()).containsExactly(3.0);
    assertThat(Tensor.ofUint8("u", new byte[] {(byte) 200}).asDoubles()).containsExactly(200.0);
    // 1.0 in binary16 is 0x3C00, -2.0 is 0xC000.
    Tensor half = Tensor.ofRaw("h", DataType.FP16, new byte[] {0x00, 0x3C, 0x00, (byte) 0xC0});
    assertThat(half.asDoubles()).containsExactly(1.0, -2.0);
    Tensor unsigned =
        Tensor.ofRaw("u64", DataType.UINT64, new byte[] {-1, -1, -1, -1, -1, -1, -1, -1});
    assertThat(unsigned.asDoubles()[0]).isEqualTo(18446744073709551615.0);
  }

  @Test
  void aShapeThatDoesNotMatchTheValuesIsRefused() {
    assertThatThrownBy(() -> Tensor.ofFloats("x", new float[] {1, 2, 3}, 2, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tensor 'x' has 3 elements but shape [2, 2] holds 4");
    assertThatThrownBy(() -> Tensor.ofFloats("x", new float[] {}, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative dimension");
  }

  @Test
  void rawBytesMustFillWholeElements() {
    assertThatThrownBy(() -> Tensor.ofRaw("x", DataType.FP32, new byte[] {1, 2, 3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no whole number of FP32");
    assertThatThrownBy(() -> Tensor.ofRaw("s", DataType.BYTES, new byte[] {9, 0, 0, 0, 'a'}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("runs past the end");
  }

  @Test
  void aViewOfTheWrongTypeNamesTheTensorAndItsType() {
    Tensor ids = Tensor.ofLongs("ids", new long[] {1});

    assertThatThrownBy(ids::asFloats)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("tensor 'ids' is INT64, not FP32");
    assertThatThrownBy(ids::asInts).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Tensor.ofStrings("s", new String[] {"a"}).asDoubles())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void tensorsAreValues() {
    Tensor a = Tensor.ofByteStrings("b", List.of(new byte[] {1}, new byte[] {2, 3}));
    Tensor b = Tensor.ofByteStrings("b", List.of(new byte[] {1}, new byte[] {2, 3}));

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.withName("c")).isNotEqualTo(a);
    assertThat(a.asByteStrings()).hasSize(2);
  }
}
