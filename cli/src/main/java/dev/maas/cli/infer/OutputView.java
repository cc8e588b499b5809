package dev.maas.cli.infer;

import dev.maas.sdk.DataType;
import dev.maas.sdk.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * An output tensor as the CLI prints it: its elements as JSON-friendly values, a short text for
 * tables, and the top-k of each row of a classifier's scores.
 *
 * @param name the output's name
 * @param datatype its datatype
 * @param shape its shape
 * @param data its elements, row-major: numbers, booleans or strings
 */
public record OutputView(String name, String datatype, long[] shape, List<Object> data) {

  /** One of the k highest scores of a row. */
  public record Ranked(String output, long row, int rank, int index, double value) {}

  private static final int SHOWN = 12;

  /** The view of {@code tensor}. */
  public static OutputView of(Tensor tensor) {
    List<Object> data = new ArrayList<>();
    DataType type = tensor.dataType();
    if (type == DataType.BYTES) {
      data.addAll(tensor.asStrings());
    } else if (type == DataType.BOOL) {
      for (boolean b : tensor.asBooleans()) {
        data.add(b);
      }
    } else if (type.isInteger()) {
      for (long v : tensor.asLongs()) {
        data.add(v);
      }
    } else {
      for (double v : tensor.asDoubles()) {
        data.add(type == DataType.FP64 ? v : (Object) (float) v);
      }
    }
    return new OutputView(tensor.name(), type.name(), tensor.shape(), data);
  }

  /** The first elements, for a table cell. */
  public String preview() {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < Math.min(SHOWN, data.size()); i++) {
      if (i > 0) {
        text.append(", ");
      }
      Object value = data.get(i);
      text.append(
          value instanceof Float f
              ? String.format(Locale.ROOT, "%.6g", f)
              : value instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : value);
    }
    text.append(']');
    if (data.size() > SHOWN) {
      text.append(" … ").append(data.size() - SHOWN).append(" more");
    }
    return text.toString();
  }

  /** The shape as {@code [1, 10]}. */
  public String shapeText() {
    return Arrays.toString(shape);
  }

  /**
   * The {@code k} highest values of each row (the last dimension), highest first; empty for an
   * output that is not numeric.
   */
  public List<Ranked> top(int k) {
    if (data.isEmpty() || !(data.get(0) instanceof Number)) {
      return List.of();
    }
    int width = shape.length == 0 ? 1 : (int) Math.max(1, shape[shape.length - 1]);
    List<Ranked> ranked = new ArrayList<>();
    for (int row = 0; row * width < data.size(); row++) {
      int offset = row * width;
      List<Integer> order =
          IntStream.range(0, Math.min(width, data.size() - offset))
              .boxed()
              .sorted(Comparator.comparingDouble((Integer i) -> value(offset + i)).reversed())
              .limit(k)
              .toList();
      for (int rank = 0; rank < order.size(); rank++) {
        int index = order.get(rank);
        ranked.add(new Ranked(name, row, rank + 1, index, value(offset + index)));
      }
    }
    return ranked;
  }

  private double value(int i) {
    return ((Number) data.get(i)).doubleValue();
  }
}
