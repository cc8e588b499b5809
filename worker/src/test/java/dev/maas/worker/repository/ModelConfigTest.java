package dev.maas.worker.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maas.worker.batching.BatchingConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelConfigTest {

  @Test
  void batchingFor_defaultsToThirtyTwoWhenTheSignatureBatches() {
    BatchingConfig batching = ModelConfig.defaults().batchingFor(true);

    assertThat(batching.maxBatchSize()).isEqualTo(ModelConfig.DEFAULT_MAX_BATCH_SIZE);
    assertThat(batching.maxQueueSize()).isEqualTo(BatchingConfig.DEFAULT_MAX_QUEUE_SIZE);
    assertThat(batching.instances()).isEqualTo(1);
  }

  @Test
  void batchingFor_defaultsToNoBatchingWhenTheSignatureCannotBatch() {
    assertThat(ModelConfig.defaults().batchingFor(false).batching()).isFalse();
  }

  @Test
  void batchingFor_carriesTheConfiguredValues() {
    ModelConfig config =
        ModelConfigParser.parse(
            "{\"max_batch_size\": 8, \"instance_count\": 2, \"dynamic_batching\":"
                + " {\"max_queue_delay_microseconds\": 700, \"preferred_batch_size\": [4],"
                + " \"max_queue_size\": 5}}");

    assertThat(config.batchingFor(true)).isEqualTo(new BatchingConfig(8, 700, List.of(4), 5, 2));
  }

  @Test
  void batchingFor_maxBatchSizeOnASignatureThatCannotBatch_explainsWhy() {
    ModelConfig config = ModelConfigParser.parse("{\"max_batch_size\": 8}");

    assertThatThrownBy(() -> config.batchingFor(false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max_batch_size is 8")
        .hasMessageContaining("cannot batch");
  }

  @Test
  void warmupFor_defaultsToOneAndTheLargestBatch() {
    assertThat(ModelConfig.defaults().warmupFor(16).batchSizes()).containsExactly(1, 16);
    assertThat(ModelConfig.defaults().warmupFor(0).batchSizes()).containsExactly(1);
  }

  @Test
  void warmupFor_usesTheConfiguredSizes() {
    ModelConfig config = ModelConfigParser.parse("{\"warmup\": {\"batch_sizes\": [2, 3]}}");

    assertThat(config.warmupFor(16).batchSizes()).containsExactly(2, 3);
  }
}
