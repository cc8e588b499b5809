package dev.maas.worker.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.maas.worker.demo.DemoModels;
import dev.maas.worker.runtime.SavedModelRuntime;
import dev.maas.worker.runtime.SessionSettings;
import dev.maas.worker.tensor.DataType;
import dev.maas.worker.tensor.HostTensor;
import dev.maas.worker.testing.RecordingExecutor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches of the real strings model: INT64 and BYTES inputs are joined, and variable-length BYTES
 * outputs are split back to their requests.
 */
class DynamicBatcherStringsTest {

  @TempDir static Path models;

  private static SavedModelRuntime strings;

  @BeforeAll
  static void loadModel() throws Exception {
    DemoModels.exportStrings(models.resolve("1"));
    strings =
        SavedModelRuntime.load(
            models.resolve("1"), DemoModels.SERVING_SIGNATURE, SessionSettings.defaults());
  }

  @AfterAll
  static void closeModel() {
    strings.close();
  }

  @Test
  void bytesOutputsOfAJoinedBatchAreSplitBackPerRequest() throws Exception {
    RecordingExecutor executor = RecordingExecutor.gated(strings::run);
    try (DynamicBatcher batcher =
        new DynamicBatcher(
            "strings",
            new BatchingConfig(8, 1_000, List.of(), 16, 1),
            executor,
            BatchObserver.NONE)) {
      InferenceTask held = task(new long[] {0, 0, 1}, "held");
      batcher.schedule(held);
      await().until(() -> executor.entered() == 1);
      InferenceTask two = task(new long[] {1, 2, 3, 10, 20, 30}, "ab", "a longer text");
      InferenceTask one = task(new long[] {-1, -2, -3}, "");
      batcher.schedule(two);
      batcher.schedule(one);

      executor.open();

      List<HostTensor> twoOut = two.result().get(1, TimeUnit.MINUTES);
      List<HostTensor> oneOut = one.result().get(1, TimeUnit.MINUTES);
      assertThat(executor.batchSizes()).containsExactly(1L, 3L);
      assertThat(longs(twoOut.get(0))).containsExactly(6L, 60L);
      assertThat(texts(twoOut.get(2))).containsExactly("AB", "A LONGER TEXT");
      assertThat(twoOut.get(2).shape()).containsExactly(2L);
      assertThat(longs(oneOut.get(0))).containsExactly(-6L);
      assertThat(texts(oneOut.get(2))).containsExactly("");
      assertThat(texts(held.result().get(1, TimeUnit.MINUTES).get(2))).containsExactly("HELD");
    }
  }

  /** A request of {@code text.length} rows: three ids and one text per row. */
  private static InferenceTask task(long[] ids, String... text) {
    ByteBuffer idBytes = ByteBuffer.allocate(ids.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long id : ids) {
      idBytes.putLong(id);
    }
    ByteString textBytes = ByteString.EMPTY;
    for (String t : text) {
      byte[] utf8 = t.getBytes(StandardCharsets.UTF_8);
      ByteBuffer element = ByteBuffer.allocate(4 + utf8.length).order(ByteOrder.LITTLE_ENDIAN);
      element.putInt(utf8.length).put(utf8);
      textBytes = textBytes.concat(ByteString.copyFrom(element.array()));
    }
    int rows = text.length;
    return InferenceTask.of(
        List.of(
            new HostTensor(
                "ids", DataType.INT64, new long[] {rows, 3}, ByteString.copyFrom(idBytes.array())),
            new HostTensor("text", DataType.BYTES, new long[] {rows}, textBytes)),
        rows,
        InferenceTask.NO_DEADLINE);
  }

  private static List<Long> longs(HostTensor tensor) {
    ByteBuffer buffer = tensor.data().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    List<Long> values = new ArrayList<>();
    while (buffer.hasRemaining()) {
      values.add(buffer.getLong());
    }
    return values;
  }

  private static List<String> texts(HostTensor tensor) {
    ByteBuffer buffer = tensor.data().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    List<String> values = new ArrayList<>();
    while (buffer.hasRemaining()) {
      byte[] element = new byte[buffer.getInt()];
      buffer.get(element);
      values.add(new String(element, StandardCharsets.UTF_8));
    }
    return values;
  }
}
