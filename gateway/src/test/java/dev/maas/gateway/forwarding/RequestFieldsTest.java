package dev.maas.gateway.forwarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.maas.gateway.routing.InvalidRequestException;
import dev.maas.proto.inference.InferTensorContents;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelMetadataRequest;
import org.junit.jupiter.api.Test;

class RequestFieldsTest {

  @Test
  void readsNameAndVersion_pastTensorsOfEveryKind() {
    byte[] request =
        ModelInferRequest.newBuilder()
            .setModelName("lenet")
            .setModelVersion("3")
            .setId("r1")
            .addInputs(
                ModelInferRequest.InferInputTensor.newBuilder()
                    .setName("x")
                    .setDatatype("FP32")
                    .addShape(1)
                    .setContents(InferTensorContents.newBuilder().addFp32Contents(1f)))
            .addRawInputContents(ByteString.copyFrom(new byte[4096]))
            .build()
            .toByteArray();

    assertThat(RequestFields.read(request)).isEqualTo(new ModelRef("lenet", "3", "r1"));
  }

  @Test
  void missingFields_readAsEmpty() {
    assertThat(RequestFields.read(new byte[0])).isEqualTo(new ModelRef("", "", ""));
  }

  @Test
  void otherRequestsWithNameAndVersionInFieldsOneAndTwo_readTheSame() {
    byte[] request =
        ModelMetadataRequest.newBuilder().setName("affine").setVersion("1").build().toByteArray();
    assertThat(RequestFields.read(request)).isEqualTo(new ModelRef("affine", "1", ""));
  }

  @Test
  void bytesThatAreNoMessage_areInvalid() {
    assertThatThrownBy(() -> RequestFields.read(new byte[] {10, 50, 1}))
        .isInstanceOf(InvalidRequestException.class);
  }
}
