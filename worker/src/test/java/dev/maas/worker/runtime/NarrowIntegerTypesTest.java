package dev.maas.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;
import org.tensorflow.Tensor;
import org.tensorflow.internal.types.registry.TensorTypeRegistry;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

class NarrowIntegerTypesTest {

  @Test
  void register_makesTensorFlowMapInt8AndInt16ToOurTypes() {
    NarrowIntegerTypes.register();

    assertThat(TensorTypeRegistry.find(DataType.DT_INT8).type()).isEqualTo(TInt8.class);
    assertThat(TensorTypeRegistry.find(DataType.DT_INT16).type()).isEqualTo(TInt16.class);
    assertThat(TensorTypeRegistry.find(TInt16.class).byteSize()).isEqualTo(2);
  }

  @Test
  void register_again_isHarmless() {
    NarrowIntegerTypes.register();

    assertThatCode(NarrowIntegerTypes::register).doesNotThrowAnyException();
  }

  @Test
  void int8Tensor_storesSignedBytesInItsMemory() {
    NarrowIntegerTypes.register();
    try (TInt8 tensor = Tensor.of(TInt8.class, Shape.of(2))) {
      tensor.setByte((byte) -5, 0).setByte((byte) 127, 1);

      assertThat(tensor.dataType()).isEqualTo(DataType.DT_INT8);
      assertThat(tensor.numBytes()).isEqualTo(2);
      assertThat(tensor.asRawTensor().data().getByte(0)).isEqualTo((byte) -5);
      assertThat(tensor.getByte(1)).isEqualTo((byte) 127);
    }
  }

  @Test
  void int16Tensor_storesShortsInNativeOrder() {
    NarrowIntegerTypes.register();
    try (TInt16 tensor = Tensor.of(TInt16.class, Shape.of(1))) {
      tensor.setShort((short) 0x0102, 0);

      assertThat(tensor.dataType()).isEqualTo(DataType.DT_INT16);
      assertThat(tensor.asRawTensor().data().getByte(0)).isEqualTo((byte) 0x02);
      assertThat(tensor.asRawTensor().data().getByte(1)).isEqualTo((byte) 0x01);
    }
  }
}
