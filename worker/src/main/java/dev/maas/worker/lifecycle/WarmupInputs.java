package dev.maas.worker.lifecycle;

import com.google.protobuf.ByteString;
import dev.maas.worker.tensor.HostTensor;
import dev.maas.worker.tensor.ModelSignature;
import dev.maas.worker.tensor.Shapes;
import dev.maas.worker.tensor.TensorSpec;
import java.util.ArrayList;
import java.util.List;

/** Zero-valued inputs for warming up a freshly loaded model. */
final class WarmupInputs {

  private WarmupInputs() {}

  /**
   * One zero tensor per signature input: dimension 0 is {@code batchSize} when it varies, other
   * variable dimensions are 1; BYTES elements are empty.
   */
  static List<HostTensor> zeros(ModelSignature signature, int batchSize) {
    List<HostTensor> inputs = new ArrayList<>();
    for (TensorSpec spec : signature.inputs()) {
      long[] shape = spec.shape();
      for (int i = 0; i < shape.length; i++) {
        if (shape[i] < 0) {
          shape[i] = i == 0 ? batchSize : 1;
        }
      }
      long elements = Shapes.elementCount(shape);
      int bytesPerElement = spec.dataType().isFixedSize() ? spec.dataType().byteSize() : 4;
      byte[] zeros = new byte[Math.toIntExact(elements * bytesPerElement)];
      inputs.add(new HostTensor(spec.name(), spec.dataType(), shape, ByteString.copyFrom(zeros)));
    }
    return inputs;
  }
}
