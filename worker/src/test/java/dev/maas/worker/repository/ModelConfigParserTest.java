package dev.maas.worker.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModelConfigParserTest {

  @Test
  void parse_everyField() {
    ModelConfig config =
        ModelConfigParser.parse(
            """
            {
              "version_policy": {"latest": {"num_versions": 2}},
              "signature_name": "predict",
              "max_batch_size": 16,
              "dynamic_batching": {
                "max_queue_delay_microseconds": 250,
                "preferred_batch_size": [8, 4],
                "max_queue_size": 64
              },
              "instance_count": 3,
              "warmup": {"batch_sizes": [1, 16]},
              "allow_non_finite_inputs": true
            }
            """);

    assertThat(config)
        .isEqualTo(
            new ModelConfig(
                new VersionPolicy.Latest(2),
                "predict",
                OptionalInt.of(16),
                250,
                List.of(8, 4),
                64,
                3,
                Optional.of(new WarmupConfig(List.of(1, 16))),
                true));
  }

  @Test
  void parse_emptyObject_givesTheDefaults() {
    assertThat(ModelConfigParser.parse("{}")).isEqualTo(ModelConfig.defaults());
    assertThat(ModelConfig.defaults().versionPolicy()).isEqualTo(new VersionPolicy.Latest(1));
    assertThat(ModelConfig.defaults().signatureName()).isEqualTo("serving_default");
    assertThat(ModelConfig.defaults().maxBatchSize()).isEmpty();
  }

  @Test
  void parse_latestPolicyWithoutCount_servesOneVersion() {
    assertThat(ModelConfigParser.parse("{\"version_policy\": {\"latest\": {}}}").versionPolicy())
        .isEqualTo(new VersionPolicy.Latest(1));
  }

  @Test
  void parse_allPolicy() {
    assertThat(ModelConfigParser.parse("{\"version_policy\": {\"all\": {}}}").versionPolicy())
        .isEqualTo(new VersionPolicy.All());
  }

  @Test
  void parse_specificPolicy() {
    assertThat(
            ModelConfigParser.parse("{\"version_policy\": {\"specific\": {\"versions\": [3, 1]}}}")
                .versionPolicy())
        .isEqualTo(new VersionPolicy.Specific(List.of(3L, 1L)));
  }

  @Test
  void parse_emptyWarmupList_disablesWarmup() {
    ModelConfig config = ModelConfigParser.parse("{\"warmup\": {\"batch_sizes\": []}}");

    assertThat(config.warmupFor(32)).isEqualTo(WarmupConfig.none());
  }

  @Test
  void parse_unknownField_isNamed() {
    assertThatThrownBy(() -> ModelConfigParser.parse("{\"max_batch\": 8}"))
        .isInstanceOf(InvalidModelConfigException.class)
        .hasMessageContaining("unknown field 'max_batch'");
  }

  @Test
  void parse_unknownNestedField_isNamed() {
    assertThatThrownBy(
            () -> ModelConfigParser.parse("{\"dynamic_batching\": {\"max_queue_delay_us\": 100}}"))
        .isInstanceOf(InvalidModelConfigException.class)
        .hasMessageContaining("unknown field 'max_queue_delay_us'");
  }

  @Test
  void parse_twoVersionPolicies_areRejected() {
    assertThatThrownBy(
            () ->
                ModelConfigParser.parse(
                    "{\"version_policy\": {\"all\": {}, \"latest\": {\"num_versions\": 1}}}"))
        .isInstanceOf(InvalidModelConfigException.class)
        .hasMessageContaining("exactly one of");
  }

  @Test
  void parse_malformedJson_isRejected() {
    assertThatThrownBy(() -> ModelConfigParser.parse("{\"max_batch_size\": 8"))
        .isInstanceOf(InvalidModelConfigException.class)
        .hasMessageStartingWith("invalid config.json");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"version_policy": {"latest": {"num_versions": 0}}}  | num_versions
          {"version_policy": {"specific": {"versions": []}}}   | specific
          {"warmup": {"batch_sizes": [1, 0]}}                  | warm-up
          """)
  void parse_badPolicyOrWarmupValue_isRejected(String json, String named) {
    assertThatThrownBy(() -> ModelConfigParser.parse(json))
        .isInstanceOf(InvalidModelConfigException.class)
        .hasMessageContaining(named);
  }

  /** Bad batching values must be refused when config.json is read, naming the field. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"max_batch_size": -1}                                            | max_batch_size
          {"dynamic_batching": {"max_queue_delay_microseconds": -5}}        | max_queue_delay
          {"dynamic_batching": {"max_queue_size": 0}}                       | max_queue_size
          {"dynamic_batching": {"preferred_batch_size": [0]}}               | preferred_batch_size
          {"max_batch_size": 8, "dynamic_batching": {"preferred_batch_size": [16]}} | preferred
          {"instance_count": 0}                                             | instance_count
          """)
  void parse_badBatchingValue_isRejected(String json, String named) {
    assertThatThrownBy(() -> ModelConfigParser.parse(json))
        .isInstanceOf(InvalidModelConfigException.class)
        .hasMessageContaining(named);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"max_batch_size\": \"eight\"}",
        "{\"instance_count\": [2]}",
      })
  void parse_wrongType_namesTheField(String json) {
    String field = json.substring(2, json.indexOf('"', 2));

    assertThatThrownBy(() -> ModelConfigParser.parse(json))
        .isInstanceOf(InvalidModelConfigException.class)
        .hasMessageContaining(field);
  }
}
