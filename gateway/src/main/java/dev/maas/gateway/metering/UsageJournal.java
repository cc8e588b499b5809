package dev.maas.gateway.metering;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.maas.proto.cluster.v1.ReportUsageRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Usage kept on disk until the control plane has acknowledged it, so that a gateway killed without
 * warning (kill -9, out of memory, a lost node with its volume kept) loses none of it on restart.
 *
 * <p>Each metered call is appended as one line to the current call log {@code calls-<epoch>.log}
 * (one write, no fsync: a killed process loses nothing the kernel has; a crashed host may lose its
 * last moments). When the meter is drained into a batch the log is sealed and a new epoch begins;
 * the batch is written whole as {@code batch-<epoch>-<id>.pb} (temporary file, then an atomic
 * rename) before the sealed logs it covers are deleted, and removed once acknowledged. On start,
 * batch files are resent with their ids (the control plane counts an id once) and call logs newer
 * than every batch file are read back into the meter; older ones were already batched.
 *
 * <p>Thread-safe: appends may run concurrently; sealing, batching and recovery are serialized by
 * the caller ({@link UsageMeter} and {@link UsageReporter}).
 */
public final class UsageJournal implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(UsageJournal.class);
  private static final Pattern CALL_LOG = Pattern.compile("calls-(\\d+)\\.log");
  private static final Pattern BATCH = Pattern.compile("batch-(\\d+)-(.+)\\.pb");

  private final Path directory;
  private final List<ReportUsageRequest> recoveredBatches = new ArrayList<>();
  private final Map<UsageKey, UsageCounts> recoveredCalls = new HashMap<>();

  @GuardedBy("this")
  private final List<Path> sealed = new ArrayList<>();

  /** The file of each batch written and not yet acknowledged, by batch id. */
  @GuardedBy("this")
  private final Map<String, Path> batchFiles = new HashMap<>();

  @GuardedBy("this")
  private long epoch;

  private volatile FileChannel current;

  private UsageJournal(Path directory) {
    this.directory = directory;
  }

  /** Opens the journal in {@code directory} (created if missing), reading back what it holds. */
  public static UsageJournal open(Path directory) throws IOException {
    Files.createDirectories(directory);
    UsageJournal journal = new UsageJournal(directory);
    journal.recover();
    return journal;
  }

  /** Batches a previous run wrote and the control plane may not have acknowledged, oldest first. */
  public List<ReportUsageRequest> recoveredBatches() {
    return List.copyOf(recoveredBatches);
  }

  /** Usage a previous run metered and had not batched yet. */
  public Map<UsageKey, UsageCounts> recoveredCalls() {
    return Map.copyOf(recoveredCalls);
  }

  /** Appends one metered call. */
  public void append(UsageKey key, UsageCounts counts) {
    String line =
        String.join(
                "\t",
                key.tenant(),
                key.model(),
                Long.toString(key.version()),
                Long.toString(key.hour().getEpochSecond()),
                Long.toString(counts.requests()),
                Long.toString(counts.errors()),
                Long.toString(counts.items()),
                Long.toString(counts.bytesIn()),
                Long.toString(counts.bytesOut()),
                Long.toString(counts.computeMillis()))
            + "\n";
    try {
      ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
      FileChannel channel = current;
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to the usage journal in " + directory, e);
    }
  }

  /** Seals the current call log and starts the next; call while no append runs. */
  synchronized void seal() throws IOException {
    current.close();
    sealed.add(callLog(epoch));
    epoch++;
    current = openCallLog(epoch);
  }

  /**
   * Writes {@code batch} (null when the sealed logs held nothing) and deletes the sealed call logs
   * it covers.
   */
  synchronized void persist(ReportUsageRequest batch) throws IOException {
    if (batch != null) {
      // Named after the newest epoch it covers: every call log up to it is in a batch.
      Path target = directory.resolve("batch-" + (epoch - 1) + "-" + batch.getBatchId() + ".pb");
      Path temporary = directory.resolve(target.getFileName() + ".tmp");
      Files.write(temporary, batch.toByteArray());
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      batchFiles.put(batch.getBatchId(), target);
    }
    for (Path log : sealed) {
      Files.deleteIfExists(log);
    }
    sealed.clear();
  }

  /** Forgets {@code batch}: the control plane has counted it. */
  synchronized void acknowledged(ReportUsageRequest batch) throws IOException {
    Path file = batchFiles.remove(batch.getBatchId());
    if (file != null) {
      Files.deleteIfExists(file);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    current.close();
  }

  private synchronized void recover() throws IOException {
    Map<Long, Path> logs = new TreeMap<>();
    Map<Long, List<Path>> batches = new TreeMap<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        Matcher callLog = CALL_LOG.matcher(name);
        Matcher batch = BATCH.matcher(name);
        if (callLog.matches()) {
          logs.put(Long.parseLong(callLog.group(1)), file);
        } else if (batch.matches()) {
          batches.computeIfAbsent(Long.parseLong(batch.group(1)), e -> new ArrayList<>()).add(file);
        } else if (name.endsWith(".tmp")) {
          Files.delete(file);
        }
      }
    }
    long covered = -1;
    for (Map.Entry<Long, List<Path>> entry : batches.entrySet()) {
      covered = Math.max(covered, entry.getKey());
      for (Path file : entry.getValue()) {
        ReportUsageRequest batch = ReportUsageRequest.parseFrom(Files.readAllBytes(file));
        recoveredBatches.add(batch);
        batchFiles.put(batch.getBatchId(), file);
      }
    }
    long newest = covered;
    for (Map.Entry<Long, Path> entry : logs.entrySet()) {
      newest = Math.max(newest, entry.getKey());
      if (entry.getKey() <= covered) {
        Files.delete(entry.getValue());
      } else {
        readCallLog(entry.getValue());
        sealed.add(entry.getValue());
      }
    }
    epoch = newest + 1;
    current = openCallLog(epoch);
    if (!recoveredBatches.isEmpty() || !recoveredCalls.isEmpty()) {
      log.info(
          "usage journal {}: {} unacknowledged batches and {} unbatched usage entries recovered",
          directory,
          recoveredBatches.size(),
          recoveredCalls.size());
    }
  }

  private void readCallLog(Path file) throws IOException {
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] f = line.split("\t", -1);
      if (f.length != 10) {
        // The last line of a log cut off mid-write by a crash of the host.
        log.warn("usage journal {}: skipping a malformed line", file);
        continue;
      }
      try {
        UsageKey key =
            new UsageKey(
                f[0], f[1], Long.parseLong(f[2]), Instant.ofEpochSecond(Long.parseLong(f[3])));
        UsageCounts counts =
            new UsageCounts(
                Long.parseLong(f[4]),
                Long.parseLong(f[5]),
                Long.parseLong(f[6]),
                Long.parseLong(f[7]),
                Long.parseLong(f[8]),
                Long.parseLong(f[9]));
        recoveredCalls.merge(key, counts, UsageCounts::plus);
      } catch (NumberFormatException e) {
        log.warn("usage journal {}: skipping a malformed line", file);
      }
    }
  }

  private Path callLog(long number) {
    return directory.resolve("calls-" + number + ".log");
  }

  private FileChannel openCallLog(long number) throws IOException {
    return FileChannel.open(
        callLog(number),
        StandardOpenOption.CREATE,
        StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
  }
}
