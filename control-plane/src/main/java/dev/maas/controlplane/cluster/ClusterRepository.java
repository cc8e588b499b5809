package dev.maas.controlplane.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SQL the cluster features share: deployments as placed, workers and placements. */
final class ClusterRepository {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ClusterRepository() {}

  static List<DeployedModel> deployments(Connection connection) throws SQLException {
    List<DeployedModel> deployed = new ArrayList<>();
    try (PreparedStatement select =
            connection.prepareStatement(
                "select m.id, m.tenant, m.name, d.default_version, d.traffic_split::text,"
                    + " d.min_replicas, d.device, d.rate_limit_rps, d.batching::text"
                    + " from deployments d join models m on m.id = d.model_id order by m.id");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        deployed.add(
            new DeployedModel(
                rows.getLong(1),
                rows.getString(2),
                rows.getString(3),
                rows.getLong(4),
                split(rows.getString(5)),
                rows.getInt(6),
                rows.getString(7),
                rows.getDouble(8),
                workerConfig(rows.getString(9))));
      }
    }
    return deployed;
  }

  /** The next value of the cluster-wide generation counter. */
  static long nextGeneration(Connection connection) throws SQLException {
    try (PreparedStatement select =
            connection.prepareStatement("select nextval('cluster_generation')");
        ResultSet rows = select.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** Percent per version from the stored split: a list of {version, percent} objects. */
  static Map<Long, Integer> split(String json) {
    Map<Long, Integer> split = new LinkedHashMap<>();
    for (JsonNode entry : parse(json)) {
      split.put(entry.path("version").asLong(), entry.path("percent").asInt());
    }
    return split;
  }

  /** The worker's config.json from the stored batching settings (Triton's field names). */
  static String workerConfig(String batchingJson) {
    JsonNode batching = parse(batchingJson);
    ObjectNode config = JSON.createObjectNode();
    if (batching.hasNonNull("max_batch_size")) {
      config.put("max_batch_size", batching.get("max_batch_size").asInt());
    }
    ObjectNode dynamic = config.putObject("dynamic_batching");
    dynamic.put(
        "max_queue_delay_microseconds", batching.path("max_queue_delay_microseconds").asLong(0));
    var preferred = dynamic.putArray("preferred_batch_size");
    batching.path("preferred_batch_sizes").forEach(size -> preferred.add(size.asInt()));
    dynamic.put("max_queue_size", batching.path("max_queue_size").asInt(1024));
    config.put("instance_count", Math.max(1, batching.path("instance_count").asInt(1)));
    return config.toString();
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json == null || json.isBlank() ? "{}" : json);
    } catch (IOException e) {
      throw new UncheckedIOException("stored deployment JSON is malformed: " + json, e);
    }
  }
}
