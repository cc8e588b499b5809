package dev.maas.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.maas.proto.inference.InferTensorContents;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.ModelInferResponse.InferOutputTensor;
import dev.maas.sdk.DataType;
import dev.maas.sdk.InferRequest;
import dev.maas.sdk.InferResult;
import dev.maas.sdk.Tensor;
import dev.maas.sdk.TensorEncoding;
import org.junit.jupiter.api.Test;

class InferCodecTest {

  private final Tensor x = Tensor.ofFloats("x", new float[] {1, 2, 3, 4}, 1, 4);

  @Test
  void rawIsTheDefaultEncoding() {
    ModelInferRequest message =
        InferCodec.encode(InferRequest.builder("affine").input(x).version(2).id("r1").build());

    assertThat(message.getModelName()).isEqualTo("affine");
    assertThat(message.getModelVersion()).isEqualTo("2");
    assertThat(message.getId()).isEqualTo("r1");
    assertThat(message.getInputs(0).getDatatype()).isEqualTo("FP32");
    assertThat(message.getInputs(0).getShapeList()).containsExactly(1L, 4L);
    assertThat(message.getInputs(0).hasContents()).isFalse();
    assertThat(message.getRawInputContents(0).toByteArray()).isEqualTo(x.rawBytes());
  }

  @Test
  void typedEncodingFillsTheDatatypesContentsField() {
    ModelInferRequest message =
        InferCodec.encode(
            InferRequest.builder("m")
                .input(x)
                .input(Tensor.ofUint8("u", new byte[] {(byte) 250}))
                .input(Tensor.ofStrings("s", new String[] {"hi"}))
                .output("y")
                .encoding(TensorEncoding.TYPED)
                .build());

    assertThat(message.getRawInputContentsCount()).isZero();
    assertThat(message.getInputs(0).getContents().getFp32ContentsList())
        .containsExactly(1f, 2f, 3f, 4f);
    assertThat(message.getInputs(1).getContents().getUintContentsList()).containsExactly(250);
    assertThat(message.getInputs(2).getContents().getBytesContents(0).toStringUtf8())
        .isEqualTo("hi");
    assertThat(message.getOutputs(0).getName()).isEqualTo("y");
  }

  @Test
  void halfFloatsCannotBeTyped() {
    Tensor half = Tensor.ofRaw("h", DataType.FP16, new byte[] {0, 0x3C});

    assertThatThrownBy(
            () ->
                InferCodec.encode(
                    InferRequest.builder("m").input(half).encoding(TensorEncoding.TYPED).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no typed contents");
  }

  @Test
  void decodesRawAndTypedOutputsAlike() {
    InferOutputTensor y =
        InferOutputTensor.newBuilder()
            .setName("y")
            .setDatatype("FP32")
            .addShape(1)
            .addShape(4)
            .build();
    ModelInferResponse raw =
        ModelInferResponse.newBuilder()
            .setModelName("affine")
            .setModelVersion("1")
            .addOutputs(y)
            .addRawOutputContents(ByteString.copyFrom(x.rawBytes()))
            .build();
    ModelInferResponse typed =
        ModelInferResponse.newBuilder()
            .setModelName("affine")
            .setModelVersion("1")
            .addOutputs(
                y.toBuilder()
                    .setContents(
                        InferTensorContents.newBuilder()
                            .addFp32Contents(1)
                            .addFp32Contents(2)
                            .addFp32Contents(3)
                            .addFp32Contents(4)))
            .build();

    InferResult fromRaw = InferCodec.decode(raw);
    InferResult fromTyped = InferCodec.decode(typed);

    assertThat(fromRaw.output("y").asFloats()).containsExactly(1f, 2f, 3f, 4f);
    assertThat(fromTyped.outputs()).isEqualTo(fromRaw.outputs());
    assertThat(fromRaw.version()).isEqualTo("1");
    assertThatThrownBy(() -> fromRaw.output("z")).hasMessageContaining("the result has y");
  }
}
