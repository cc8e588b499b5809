package dev.maas.controlplane.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * The JSON form of signatures in {@code model_versions.signatures}: {@code [{"name":
 * "serving_default", "inputs": [{"name": "x", "datatype": "FP32", "shape": [-1, 784]}], "outputs":
 * [...]}]}.
 */
final class SignatureJson {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<ModelSignature>> LIST = new TypeReference<>() {};

  private SignatureJson() {}

  static String write(List<ModelSignature> signatures) {
    try {
      return JSON.writeValueAsString(signatures);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write signatures as JSON", e);
    }
  }

  /** The signatures in {@code json}; empty for null (versions not validated yet). */
  static List<ModelSignature> read(String json) {
    if (json == null) {
      return List.of();
    }
    try {
      return JSON.readValue(json, LIST);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("model_versions.signatures holds malformed JSON", e);
    }
  }
}
