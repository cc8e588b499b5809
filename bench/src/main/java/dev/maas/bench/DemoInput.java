package dev.maas.bench;

import com.google.protobuf.ByteString;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.worker.demo.DemoModels;
import dev.maas.worker.tensor.DataType;
import dev.maas.worker.tensor.HostTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The FP32 input of a demo model and how to export the model.
 *
 * @param model the demo model's name
 * @param input its input's name
 * @param rowShape the input's shape without the batch dimension
 * @param outputs how many outputs the signature has
 * @param exporter writes the SavedModel into a version directory
 */
record DemoInput(
    String model, String input, long[] rowShape, int outputs, Consumer<Path> exporter) {

  /** The demo model {@code name}: {@code lenet} or {@code binary_classifier}. */
  static DemoInput of(String name) {
    return switch (name) {
      case DemoModels.LENET ->
          new DemoInput(name, "images", new long[] {32, 32, 3}, 2, DemoModels::exportLenet);
      case DemoModels.BINARY_CLASSIFIER ->
          new DemoInput(name, "features", new long[] {100}, 1, DemoModels::exportBinaryClassifier);
      default ->
          throw new IllegalArgumentException(
              "unknown model '"
                  + name
                  + "': choose "
                  + DemoModels.LENET
                  + " or "
                  + DemoModels.BINARY_CLASSIFIER);
    };
  }

  /** Random values for {@code batch} rows, little-endian FP32, the same for the same seed. */
  ByteString rows(int batch, long seed) {
    long elements = batch;
    for (long dim : rowShape) {
      elements *= dim;
    }
    ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(elements * 4));
    buffer.order(ByteOrder.LITTLE_ENDIAN);
    Random random = new Random(seed);
    while (buffer.hasRemaining()) {
      buffer.putFloat(random.nextFloat());
    }
    return ByteString.copyFrom(buffer.array());
  }

  /** The input as the worker's runtime takes it, for arm A. */
  HostTensor hostTensor(int batch) {
    return new HostTensor(input, DataType.FP32, shape(batch), rows(batch, batch));
  }

  /** A request for {@code modelName} carrying {@code batch} rows as raw_input_contents. */
  ModelInferRequest request(String modelName, int batch) {
    ModelInferRequest.InferInputTensor.Builder tensor =
        ModelInferRequest.InferInputTensor.newBuilder().setName(input).setDatatype("FP32");
    for (long dim : shape(batch)) {
      tensor.addShape(dim);
    }
    return ModelInferRequest.newBuilder()
        .setModelName(modelName)
        .addInputs(tensor)
        .addRawInputContents(rows(batch, batch))
        .build();
  }

  private long[] shape(int batch) {
    long[] shape = new long[rowShape.length + 1];
    shape[0] = batch;
    System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
    return shape;
  }
}
