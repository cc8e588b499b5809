package dev.maas.worker.tensor;

/** Arithmetic on tensor shapes. */
public final class Shapes {

  private Shapes() {}

  /**
   * The number of elements of a shape with no variable dimension.
   *
   * @throws ArithmeticException when the count does not fit a long
   */
  public static long elementCount(long[] shape) {
    long count = 1;
    for (long dim : shape) {
      count = Math.multiplyExact(count, dim);
    }
    return count;
  }

  /** The number of elements in one row: every dimension after the first. */
  public static long rowElementCount(long[] shape) {
    long count = 1;
    for (int i = 1; i < shape.length; i++) {
      count = Math.multiplyExact(count, shape[i]);
    }
    return count;
  }

  /** The shape as {@code [a,b,c]}. */
  public static String toString(long[] shape) {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        text.append(',');
      }
      text.append(shape[i]);
    }
    return text.append(']').toString();
  }
}
