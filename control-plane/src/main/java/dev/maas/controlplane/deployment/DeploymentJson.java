package dev.maas.controlplane.deployment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored JSON of a deployment's traffic split (a list of {@code {version, percent}}) and
 * batching (the snake_case field names of the admin API). The cluster package reads these columns
 * too, so the field names are part of the schema.
 */
final class DeploymentJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private DeploymentJson() {}

  static String writeSplit(List<TrafficSplit> splits) {
    ArrayNode array = JSON.createArrayNode();
    for (TrafficSplit split : splits) {
      array.addObject().put("version", split.version()).put("percent", split.percent());
    }
    return array.toString();
  }

  static List<TrafficSplit> readSplit(String json) {
    List<TrafficSplit> splits = new ArrayList<>();
    for (JsonNode entry : parse(json, "[]")) {
      splits.add(new TrafficSplit(entry.path("version").asLong(), entry.path("percent").asInt()));
    }
    return splits;
  }

  static String writeBatching(Batching batching) {
    ObjectNode object = JSON.createObjectNode();
    object.put("max_batch_size", batching.maxBatchSize());
    object.put("max_queue_delay_microseconds", batching.maxQueueDelayMicroseconds());
    ArrayNode preferred = object.putArray("preferred_batch_sizes");
    batching.preferredBatchSizes().forEach(preferred::add);
    object.put("max_queue_size", batching.maxQueueSize());
    object.put("instance_count", batching.instanceCount());
    return object.toString();
  }

  static Batching readBatching(String json) {
    JsonNode object = parse(json, "{}");
    List<Integer> preferred = new ArrayList<>();
    object.path("preferred_batch_sizes").forEach(size -> preferred.add(size.asInt()));
    return new Batching(
        object.path("max_batch_size").asInt(0),
        object.path("max_queue_delay_microseconds").asLong(0),
        preferred,
        object.path("max_queue_size").asInt(Batching.DEFAULT_MAX_QUEUE_SIZE),
        object.path("instance_count").asInt(1));
  }

  private static JsonNode parse(String json, String ifEmpty) {
    try {
      return JSON.readTree(json == null || json.isBlank() ? ifEmpty : json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored deployment JSON is malformed: " + json, e);
    }
  }
}
