package dev.maas.worker.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.worker.testing.WorkerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AffineSmokeTest {

  @RegisterExtension static final WorkerExtension worker = WorkerExtension.withDemoModels();

  @Test
  void affineAnswersTwoXPlusOne_typedAndRaw() {
    float[] x = {0f, 1f, -2f, 3.5f, 10f, 20f, 30f, 40f};
    ModelInferResponse typed =
        worker
            .blocking()
            .modelInfer(InferRequests.typedFloats("affine", "x", new long[] {2, 4}, x));
    ModelInferResponse raw =
        worker.blocking().modelInfer(InferRequests.rawFloats("affine", "x", new long[] {2, 4}, x));

    float[] expected = {1f, 3f, -3f, 8f, 21f, 41f, 61f, 81f};
    assertThat(InferRequests.outputFloats(typed, 0)).containsExactly(expected);
    assertThat(InferRequests.outputFloats(raw, 0)).containsExactly(expected);
    assertThat(raw.getRawOutputContentsCount()).isEqualTo(1);
    assertThat(typed.getRawOutputContentsCount()).isZero();
    assertThat(typed.getOutputs(0).getShapeList()).containsExactly(2L, 4L);
    assertThat(typed.getModelName()).isEqualTo("affine");
    assertThat(typed.getModelVersion()).isEqualTo("1");
  }
}
