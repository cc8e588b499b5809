package dev.maas.worker.demo;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Neural-network layers whose weights are drawn Glorot-uniform from one seeded {@link Random}, so
 * the same sequence of calls always builds the same weights.
 *
 * <p>Weights and biases are {@code tf.variable}s initialized from constants, so they are saved in
 * the SavedModel's variables file. Not thread-safe: one instance builds one graph.
 */
final class SeededLayers {

  private static final float BIAS_INIT = 0.01f;

  private final Ops tf;
  private final Random random;

  SeededLayers(Ops tf, long seed) {
    this.tf = tf;
    this.random = new Random(seed);
  }

  /** A fully connected layer without activation: {@code input · W + b}. */
  Operand<TFloat32> dense(String name, Operand<TFloat32> input, int inUnits, int outUnits) {
    Ops scope = tf.withSubScope(name);
    Operand<TFloat32> weights =
        glorotUniform(scope, Shape.of(inUnits, outUnits), inUnits, outUnits);
    return scope.nn.biasAdd(scope.linalg.matMul(input, weights), bias(scope, outUnits));
  }

  /** A square-kernel 2-D convolution (NHWC, stride 1, VALID padding) followed by ReLU. */
  Operand<TFloat32> conv2dRelu(
      String name, Operand<TFloat32> input, int kernel, int inChannels, int outChannels) {
    Ops scope = tf.withSubScope(name);
    int receptiveField = kernel * kernel;
    Operand<TFloat32> filter =
        glorotUniform(
            scope,
            Shape.of(kernel, kernel, inChannels, outChannels),
            receptiveField * inChannels,
            receptiveField * outChannels);
    Operand<TFloat32> conv = scope.nn.conv2d(input, filter, List.of(1L, 1L, 1L, 1L), "VALID");
    return scope.nn.relu(scope.nn.biasAdd(conv, bias(scope, outChannels)));
  }

  /** A 2×2 max-pool with stride 2 and VALID padding (NHWC). */
  Operand<TFloat32> maxPool2x2(Operand<TFloat32> input) {
    Operand<TInt32> window = tf.constant(new int[] {1, 2, 2, 1});
    return tf.nn.maxPool(input, window, window, "VALID");
  }

  private Operand<TFloat32> glorotUniform(Ops scope, Shape shape, int fanIn, int fanOut) {
    float limit = (float) Math.sqrt(6.0 / (fanIn + fanOut));
    float[] values = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (random.nextFloat() * 2f - 1f) * limit;
    }
    return scope
        .withName("weights")
        .variable(scope.constant(shape, DataBuffers.of(values, true, false)));
  }

  private static Operand<TFloat32> bias(Ops scope, int units) {
    float[] values = new float[units];
    Arrays.fill(values, BIAS_INIT);
    return scope.withName("bias").variable(scope.constant(values));
  }
}
