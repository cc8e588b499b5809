package dev.maas.standalone.reliability;

import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.standalone.testing.Tensors;
import dev.maas.worker.demo.DemoModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * A fixed set of LeNet inputs with the logits the same SavedModel gives for each when run directly
 * in this JVM, one input at a time: the answer any call through the cluster must match. Batched
 * runs may differ from single runs in the last bits, so logits are compared with a small tolerance.
 */
final class LenetOracle {

  private static final int ELEMENTS = 32 * 32 * 3;
  private static final float TOLERANCE = 1e-4f;

  private final List<ModelInferRequest> requests = new ArrayList<>();
  private final List<float[]> logits = new ArrayList<>();

  private LenetOracle() {}

  /** {@code count} random inputs for {@code model} and their direct results. */
  static LenetOracle of(String model, int count) throws IOException {
    LenetOracle oracle = new LenetOracle();
    Path dir = Files.createTempDirectory("lenet-oracle");
    try {
      DemoModels.exportLenet(dir.resolve("1"));
      try (SavedModelBundle bundle = SavedModelBundle.load(dir.resolve("1").toString(), "serve")) {
        for (int i = 0; i < count; i++) {
          float[] image = Tensors.randomFloats(ELEMENTS, 1_000 + i);
          oracle.requests.add(Tensors.raw(model, "images", image, 1, 32, 32, 3));
          try (TFloat32 input =
                  TFloat32.tensorOf(Shape.of(1, 32, 32, 3), DataBuffers.of(image, true, false));
              Result result = bundle.function("serving_default").call(Map.of("images", input))) {
            TFloat32 output = (TFloat32) result.get("logits").orElseThrow();
            float[] values = new float[10];
            output.copyTo(DataBuffers.of(values, false, false));
            oracle.logits.add(values);
          }
        }
      }
    } finally {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
    return oracle;
  }

  int size() {
    return requests.size();
  }

  ModelInferRequest request(int index) {
    return requests.get(index);
  }

  /** Whether {@code response} carries the logits of input {@code index}. */
  boolean matches(int index, ModelInferResponse response) {
    List<Float> actual = Tensors.output(response, "logits");
    float[] expected = logits.get(index);
    if (actual.size() != expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      float e = expected[i];
      if (Math.abs(actual.get(i) - e) > TOLERANCE * Math.max(1f, Math.abs(e))) {
        return false;
      }
    }
    return true;
  }
}
