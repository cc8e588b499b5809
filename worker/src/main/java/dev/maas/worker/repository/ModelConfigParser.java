package dev.maas.worker.repository;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.maas.worker.batching.BatchingConfig;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * Reads a model's {@code config.json}. Field names follow Triton's model configuration where one
 * exists; unknown fields are errors, so a typo never silently falls back to a default.
 */
final class ModelConfigParser {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private ModelConfigParser() {}

  /**
   * Parses the file's text.
   *
   * @throws InvalidModelConfigException with a message naming the bad field
   */
  static ModelConfig parse(String json) {
    ConfigFile file;
    try {
      file = JSON.readValue(json, ConfigFile.class);
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidModelConfigException(
          "unknown field '" + e.getPropertyName() + "', known: " + e.getKnownPropertyIds(), e);
    } catch (JsonMappingException e) {
      String field =
          e.getPath().stream()
              .map(reference -> reference.getFieldName())
              .filter(name -> name != null)
              .collect(Collectors.joining("."));
      throw new InvalidModelConfigException(
          (field.isEmpty() ? "" : "field '" + field + "': ") + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new InvalidModelConfigException(e.getOriginalMessage(), e);
    }
    if (file == null) {
      return ModelConfig.defaults();
    }
    try {
      ModelConfig config = file.toModelConfig();
      // Range checks now, so a bad value is a config problem rather than a failed load later.
      config.batchingFor(config.maxBatchSize().orElse(ModelConfig.DEFAULT_MAX_BATCH_SIZE) > 0);
      return config;
    } catch (IllegalArgumentException e) {
      throw new InvalidModelConfigException(e.getMessage(), e);
    }
  }

  record ConfigFile(
      @JsonProperty("version_policy") PolicyFile versionPolicy,
      @JsonProperty("signature_name") String signatureName,
      @JsonProperty("max_batch_size") Integer maxBatchSize,
      @JsonProperty("dynamic_batching") DynamicBatchingFile dynamicBatching,
      @JsonProperty("instance_count") Integer instanceCount,
      @JsonProperty("warmup") WarmupFile warmup,
      @JsonProperty("allow_non_finite_inputs") Boolean allowNonFiniteInputs) {

    ModelConfig toModelConfig() {
      ModelConfig defaults = ModelConfig.defaults();
      DynamicBatchingFile batching =
          dynamicBatching == null ? new DynamicBatchingFile(null, null, null) : dynamicBatching;
      return new ModelConfig(
          versionPolicy == null ? defaults.versionPolicy() : versionPolicy.toPolicy(),
          signatureName == null ? defaults.signatureName() : signatureName,
          maxBatchSize == null ? OptionalInt.empty() : OptionalInt.of(maxBatchSize),
          batching.maxQueueDelayMicros == null ? 0 : batching.maxQueueDelayMicros,
          batching.preferredBatchSize == null ? List.of() : batching.preferredBatchSize,
          batching.maxQueueSize == null
              ? BatchingConfig.DEFAULT_MAX_QUEUE_SIZE
              : batching.maxQueueSize,
          instanceCount == null ? 1 : instanceCount,
          warmup == null ? Optional.empty() : Optional.of(warmup.toWarmup()),
          allowNonFiniteInputs != null && allowNonFiniteInputs);
    }
  }

  record PolicyFile(
      @JsonProperty("latest") LatestFile latest,
      @JsonProperty("all") AllFile all,
      @JsonProperty("specific") SpecificFile specific) {

    VersionPolicy toPolicy() {
      int chosen = (latest != null ? 1 : 0) + (all != null ? 1 : 0) + (specific != null ? 1 : 0);
      if (chosen != 1) {
        throw new IllegalArgumentException(
            "version_policy needs exactly one of 'latest', 'all' or 'specific'");
      }
      if (latest != null) {
        return new VersionPolicy.Latest(latest.numVersions == null ? 1 : latest.numVersions);
      }
      if (all != null) {
        return new VersionPolicy.All();
      }
      return new VersionPolicy.Specific(specific.versions == null ? List.of() : specific.versions);
    }
  }

  record LatestFile(@JsonProperty("num_versions") Integer numVersions) {}

  record AllFile() {}

  record SpecificFile(@JsonProperty("versions") List<Long> versions) {}

  record DynamicBatchingFile(
      @JsonProperty("max_queue_delay_microseconds") Long maxQueueDelayMicros,
      @JsonProperty("preferred_batch_size") List<Integer> preferredBatchSize,
      @JsonProperty("max_queue_size") Integer maxQueueSize) {}

  record WarmupFile(@JsonProperty("batch_sizes") List<Integer> batchSizes) {
    WarmupConfig toWarmup() {
      return new WarmupConfig(batchSizes == null ? List.of() : batchSizes);
    }
  }
}
