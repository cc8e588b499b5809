package dev.maas.cli.infer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas.sdk.DataType;
import dev.maas.sdk.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a tensor from JSON: nested arrays whose nesting gives the shape ({@code [[1,2],[3,4]]} is
 * [2,2]), a scalar, or {@code {"shape": [...], "data": [...]}} with the data flat or nested.
 * Numbers become the model input's datatype; strings make BYTES, booleans BOOL.
 */
final class JsonTensors {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonTensors() {}

  /** The tensor {@code text} holds, as {@code type}. */
  static Tensor read(String name, DataType type, String text) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "input '" + name + "' is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null) {
      throw new IllegalArgumentException("input '" + name + "' is empty");
    }
    List<Long> shape = new ArrayList<>();
    List<JsonNode> leaves = new ArrayList<>();
    if (root.isObject()) {
      JsonNode data = root.path("data");
      if (data.isMissingNode()) {
        throw new IllegalArgumentException(
            "input '" + name + "': a JSON object needs \"data\" (and may give \"shape\")");
      }
      flatten(name, data, 0, shape, leaves);
      if (root.has("shape")) {
        shape.clear();
        root.get("shape").forEach(d -> shape.add(d.asLong()));
      }
    } else {
      flatten(name, root, 0, shape, leaves);
    }
    long[] dims = shape.stream().mapToLong(Long::longValue).toArray();
    return build(name, type, dims, leaves);
  }

  /** Collects the leaves of a rectangular nested array, recording its shape. */
  private static void flatten(
      String name, JsonNode node, int depth, List<Long> shape, List<JsonNode> leaves) {
    if (!node.isArray()) {
      if (depth < shape.size()) {
        throw ragged(name);
      }
      leaves.add(node);
      return;
    }
    if (depth == shape.size()) {
      shape.add((long) node.size());
    } else if (shape.get(depth) != node.size()) {
      throw ragged(name);
    }
    for (JsonNode child : node) {
      flatten(name, child, depth + 1, shape, leaves);
    }
  }

  private static IllegalArgumentException ragged(String name) {
    return new IllegalArgumentException(
        "input '" + name + "' is not rectangular: nested arrays of one level must be as long");
  }

  private static Tensor build(String name, DataType type, long[] shape, List<JsonNode> leaves) {
    long[] dims = shape.length == 0 ? new long[0] : shape;
    switch (type) {
      case BYTES -> {
        String[] values = new String[leaves.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = leaves.get(i).isTextual() ? leaves.get(i).asText() : leaves.get(i).toString();
        }
        return Tensor.ofStrings(name, values, scalarSafe(dims));
      }
      case BOOL -> {
        boolean[] values = new boolean[leaves.size()];
        for (int i = 0; i < values.length; i++) {
          JsonNode leaf = leaves.get(i);
          if (!leaf.isBoolean()
              && !(leaf.isIntegralNumber() && leaf.asLong() >= 0 && leaf.asLong() <= 1)) {
            throw new IllegalArgumentException(
                "input '" + name + "' is BOOL but holds " + leaf + "; use true/false");
          }
          values[i] = leaf.isBoolean() ? leaf.asBoolean() : leaf.asLong() == 1;
        }
        return Tensor.ofBooleans(name, values, scalarSafe(dims));
      }
      default -> {
        byte[] raw;
        if (type.isInteger() && leaves.stream().allMatch(JsonNode::isIntegralNumber)) {
          raw =
              ElementWriter.fromLongs(
                  name, type, leaves.stream().mapToLong(JsonNode::asLong).toArray());
        } else {
          double[] values = new double[leaves.size()];
          for (int i = 0; i < values.length; i++) {
            JsonNode leaf = leaves.get(i);
            if (!leaf.isNumber()) {
              throw new IllegalArgumentException(
                  "input '" + name + "' is " + type + " but holds " + leaf + ", not a number");
            }
            values[i] = leaf.asDouble();
          }
          raw = ElementWriter.fromDoubles(name, type, values);
        }
        return Tensor.ofRaw(name, type, raw, scalarSafe(dims));
      }
    }
  }

  /** A scalar (no dimensions) travels as shape [1]. */
  private static long[] scalarSafe(long[] dims) {
    return dims.length == 0 ? new long[] {1} : dims;
  }
}
