package dev.maas.gateway.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.proto.cluster.v1.ReportUsageRequest;
import dev.maas.proto.cluster.v1.UsageEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The usage journal across crashes: a "crash" abandons the journal without closing it, as {@code
 * kill -9} would, and a new one is opened on the same directory.
 */
class UsageJournalTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-05-01T12:34:56Z"), ZoneOffset.UTC);
  private static final UsageKey V1 =
      new UsageKey("t", "m", 1, Instant.parse("2026-05-01T12:00:00Z"));
  private static final UsageKey V2 =
      new UsageKey("t", "m", 2, Instant.parse("2026-05-01T12:00:00Z"));
  private static final UsageCounts OK = new UsageCounts(1, 0, 1, 10, 20, 3);
  private static final UsageCounts ERROR = new UsageCounts(1, 1, 0, 5, 0, 2);

  @TempDir Path directory;

  @Test
  void callsNotYetBatched_areMeteredAgainAfterACrash() throws Exception {
    UsageMeter meter = new UsageMeter(CLOCK, UsageJournal.open(directory));
    meter.record("t", "m", 1, OK);
    meter.record("t", "m", 1, ERROR);
    meter.record("t", "m", 2, OK);

    UsageJournal reopened = UsageJournal.open(directory);

    assertThat(reopened.recoveredBatches()).isEmpty();
    assertThat(new UsageMeter(CLOCK, reopened).drain())
        .isEqualTo(Map.of(V1, OK.plus(ERROR), V2, OK));
  }

  @Test
  void aBatchNotAcknowledged_isRecoveredWithItsId_andItsCallsAreNotCountedAgain() throws Exception {
    UsageJournal journal = UsageJournal.open(directory);
    UsageMeter meter = new UsageMeter(CLOCK, journal);
    meter.record("t", "m", 1, OK);
    meter.record("t", "m", 1, OK);
    Map<UsageKey, UsageCounts> drained = meter.drain();
    journal.persist(batch("b1", drained));
    meter.record("t", "m", 2, ERROR);

    UsageJournal reopened = UsageJournal.open(directory);

    assertThat(reopened.recoveredBatches()).containsExactly(batch("b1", drained));
    assertThat(reopened.recoveredCalls()).isEqualTo(Map.of(V2, ERROR));
  }

  @Test
  void aCrashBetweenWritingABatchAndDeletingItsCallLog_countsTheCallsOnce() throws Exception {
    UsageJournal journal = UsageJournal.open(directory);
    UsageMeter meter = new UsageMeter(CLOCK, journal);
    meter.record("t", "m", 1, OK);
    Map<UsageKey, UsageCounts> drained = meter.drain();
    Path sealedLog = directory.resolve("calls-0.log");
    byte[] calls = Files.readAllBytes(sealedLog);
    journal.persist(batch("b1", drained));
    // As if the process died before deleting the sealed log.
    Files.write(sealedLog, calls);

    UsageJournal reopened = UsageJournal.open(directory);

    assertThat(reopened.recoveredBatches())
        .extracting(ReportUsageRequest::getBatchId)
        .containsExactly("b1");
    assertThat(reopened.recoveredCalls()).isEmpty();
    assertThat(sealedLog).doesNotExist();
  }

  @Test
  void anAcknowledgedBatch_isGoneAfterARestart() throws Exception {
    UsageJournal journal = UsageJournal.open(directory);
    UsageMeter meter = new UsageMeter(CLOCK, journal);
    meter.record("t", "m", 1, OK);
    ReportUsageRequest batch = batch("b1", meter.drain());
    journal.persist(batch);
    journal.acknowledged(batch);
    journal.close();

    UsageJournal reopened = UsageJournal.open(directory);

    assertThat(reopened.recoveredBatches()).isEmpty();
    assertThat(reopened.recoveredCalls()).isEmpty();
  }

  @Test
  void recoveredBatchesAreAcknowledgedByIdAfterTheRestart() throws Exception {
    UsageJournal journal = UsageJournal.open(directory);
    UsageMeter meter = new UsageMeter(CLOCK, journal);
    meter.record("t", "m", 1, OK);
    journal.persist(batch("b1", meter.drain()));

    UsageJournal second = UsageJournal.open(directory);
    second.acknowledged(second.recoveredBatches().get(0));
    second.close();

    assertThat(UsageJournal.open(directory).recoveredBatches()).isEmpty();
  }

  private static ReportUsageRequest batch(String id, Map<UsageKey, UsageCounts> usage) {
    ReportUsageRequest.Builder batch = ReportUsageRequest.newBuilder().setBatchId(id);
    usage.entrySet().stream()
        .sorted(Map.Entry.comparingByKey((a, b) -> Long.compare(a.version(), b.version())))
        .forEach(
            e ->
                batch.addEntries(
                    UsageEntry.newBuilder()
                        .setTenant(e.getKey().tenant())
                        .setModel(e.getKey().model())
                        .setVersion(e.getKey().version())
                        .setRequests(e.getValue().requests())
                        .setErrors(e.getValue().errors())));
    return batch.build();
  }
}
