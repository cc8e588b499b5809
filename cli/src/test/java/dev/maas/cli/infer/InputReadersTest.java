package dev.maas.cli.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maas.sdk.DataType;
import dev.maas.sdk.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InputReadersTest {

  @Test
  void nestedJsonArraysGiveTheShape() {
    Tensor tensor = JsonTensors.read("x", DataType.FP32, "[[1, 2], [3, 4.5]]");

    assertThat(tensor.shape()).containsExactly(2, 2);
    assertThat(tensor.asFloats()).containsExactly(1f, 2f, 3f, 4.5f);
  }

  @Test
  void jsonTakesTheModelsDatatypeAndRefusesWhatDoesNotFit() {
    assertThat(JsonTensors.read("ids", DataType.INT64, "[9007199254740993]").asLongs())
        .containsExactly(9007199254740993L);
    assertThat(JsonTensors.read("s", DataType.BYTES, "[\"a\", \"b\"]").asStrings())
        .containsExactly("a", "b");
    assertThat(JsonTensors.read("b", DataType.BOOL, "[true, 0]").asBooleans())
        .containsExactly(true, false);
    assertThatThrownBy(() -> JsonTensors.read("u", DataType.UINT8, "[256]"))
        .hasMessageContaining("does not fit UINT8");
    assertThatThrownBy(() -> JsonTensors.read("i", DataType.INT32, "[1.5]"))
        .hasMessageContaining("not an integer");
    assertThatThrownBy(() -> JsonTensors.read("x", DataType.FP32, "[[1, 2], [3]]"))
        .hasMessageContaining("not rectangular");
    assertThatThrownBy(() -> JsonTensors.read("x", DataType.FP32, "[\"a\"]"))
        .hasMessageContaining("not a number");
  }

  @Test
  void aJsonObjectGivesShapeAndData() {
    Tensor tensor =
        JsonTensors.read("x", DataType.INT32, "{\"shape\": [2, 2], \"data\": [1, 2, 3, 4]}");

    assertThat(tensor.shape()).containsExactly(2, 2);
    assertThat(tensor.asInts()).containsExactly(1, 2, 3, 4);
    assertThatThrownBy(
            () -> JsonTensors.read("x", DataType.INT32, "{\"shape\": [3], \"data\": [1]}"))
        .hasMessageContaining("holds 3");
  }

  @Test
  void npyFilesAreReadAndConverted() {
    ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    data.putDouble(1.5).putDouble(-2);
    byte[] file = npy("<f8", "(2,)", data.array());

    Tensor asIs = NpyTensors.read("x", DataType.FP64, file);
    Tensor converted = NpyTensors.read("x", DataType.FP32, file);

    assertThat(asIs.asDoubles()).containsExactly(1.5, -2.0);
    assertThat(converted.dataType()).isEqualTo(DataType.FP32);
    assertThat(converted.asFloats()).containsExactly(1.5f, -2f);
    assertThat(converted.shape()).containsExactly(2);
  }

  @Test
  void bigEndianAndIntegerNpyFilesWork() {
    ByteBuffer data = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
    data.putInt(7).putInt(-1);

    Tensor tensor = NpyTensors.read("ids", DataType.INT64, npy(">i4", "(1, 2)", data.array()));

    assertThat(tensor.shape()).containsExactly(1, 2);
    assertThat(tensor.asLongs()).containsExactly(7L, -1L);
    assertThatThrownBy(() -> NpyTensors.read("x", DataType.FP32, new byte[20]))
        .hasMessageContaining("not a .npy file");
  }

  @Test
  void inputSpecsNeedANameAndASource() {
    assertThat(InputSpec.parse("x=@[1]")).isEqualTo(new InputSpec("x", "@[1]"));
    assertThat(InputSpec.parse("images=a=b.json").source()).isEqualTo("a=b.json");
    assertThatThrownBy(() -> InputSpec.parse("x")).hasMessageContaining("NAME=FILE.json");
    assertThatThrownBy(() -> InputSpec.parse("=a.json"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void topKRanksEachRow() {
    OutputView view =
        OutputView.of(Tensor.ofFloats("p", new float[] {0.1f, 0.7f, 0.2f, 0.5f, 0.3f, 0.2f}, 2, 3));

    assertThat(view.top(2))
        .extracting(OutputView.Ranked::row, OutputView.Ranked::index)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0L, 1),
            org.assertj.core.groups.Tuple.tuple(0L, 2),
            org.assertj.core.groups.Tuple.tuple(1L, 0),
            org.assertj.core.groups.Tuple.tuple(1L, 1));
    assertThat(OutputView.of(Tensor.ofStrings("s", new String[] {"a"})).top(3)).isEmpty();
  }

  static byte[] npy(String descr, String shape, byte[] data) {
    String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int padding = (64 - (10 + header.length() + 1) % 64) % 64;
    header = header + " ".repeat(padding) + "\n";
    ByteBuffer out =
        ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.putShort((short) header.length());
    out.put(header.getBytes(StandardCharsets.ISO_8859_1));
    out.put(data);
    return out.array();
  }
}
