package dev.maas.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs the whole harness in a tiny configuration (one model, short windows) against real service
 * processes, so that it cannot rot. Checks structure and counts only, never timings.
 */
class AllCommandSmokeTest {

  @Test
  void everyArmAndEveryRatioIsInTheJson(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("results.json");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    int exit =
        new CommandLine(new AllCommand(new PrintStream(printed, true, StandardCharsets.UTF_8)))
            .execute(
                "--models", "binary_classifier",
                "--batch-sizes", "32,64",
                "--concurrency", "1,32",
                "--warmup-ms", "200",
                "--window-ms", "300",
                "--max-windows", "3",
                "--work-dir", dir.resolve("work").toString(),
                "--json", json.toString());

    assertThat(exit).isZero();
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    List<String> points = new ArrayList<>();
    for (JsonNode arm : report.get("arms")) {
      points.add(
          arm.get("arm").asText()
              + " batch "
              + arm.get("batch").asInt()
              + " x"
              + arm.get("concurrency").asInt());
      assertThat(arm.get("model").asText()).isEqualTo("binary_classifier");
      assertThat(arm.get("requests").asLong()).as(arm.toString()).isPositive();
      assertThat(arm.get("errors").asLong()).as(arm.toString()).isZero();
      assertThat(arm.get("samplesPerSecond").asDouble()).as(arm.toString()).isPositive();
      assertThat(arm.get("p50Micros").asDouble())
          .as(arm.toString())
          .isPositive()
          .isLessThanOrEqualTo(arm.get("p99Micros").asDouble());
      assertThat(arm.get("windows").asInt()).isBetween(3, 3);
      assertThat(arm.get("cpuCores").get("client").asDouble()).as(arm.toString()).isPositive();
      if (!arm.get("arm").asText().equals("A")) {
        assertThat(arm.get("cpuCores").get("worker").asDouble()).as(arm.toString()).isPositive();
      }
    }
    assertThat(points)
        .containsExactly(
            "A batch 32 x1",
            "A batch 64 x1",
            "B batch 1 x1",
            "B batch 1 x32",
            "C batch 1 x1",
            "C batch 1 x32",
            "D batch 1 x1",
            "D batch 1 x32",
            "C-batch64 batch 64 x1");
    List<String> ratios = new ArrayList<>();
    for (JsonNode ratio : report.get("ratios")) {
      ratios.add(ratio.get("id").asText());
      assertThat(ratio.get("value").isNumber()).as(ratio.toString()).isTrue();
      assertThat(ratio.get("value").asDouble()).as(ratio.toString()).isPositive();
      assertThat(ratio.get("met").isBoolean()).isTrue();
    }
    assertThat(ratios).containsExactly("G1", "G2", "G3", "G4", "G5", "G6");
    assertThat(report.get("conditions").get("cores").asInt()).isPositive();
    String table = printed.toString(StandardCharsets.UTF_8);
    assertThat(table).contains("| binary_classifier | C-batch64 | 64 | 1 |").contains("| G6 |");
  }
}
