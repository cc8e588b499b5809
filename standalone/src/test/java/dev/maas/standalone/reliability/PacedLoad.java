package dev.maas.standalone.reliability;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Status;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Open-loop load: calls started at a fixed rate whatever the answers do, phase after phase, each
 * call's send time, latency, status and correctness kept for the figures. Calls are asynchronous,
 * so a slow server does not slow the sender (no coordinated omission); a sender that falls behind
 * catches up at once.
 */
final class PacedLoad {

  /** A span of the run at one rate. */
  record Phase(String name, double callsPerSecond, Duration length) {}

  /** Starts call number {@code sequence}; its future says whether the answer was right. */
  @FunctionalInterface
  interface Call {
    ListenableFuture<Boolean> start(int sequence);
  }

  /** What was observed, by call number; filled while the run lasts. */
  static final class Record {
    final long[] sentNanos;
    final long[] latencyNanos;
    final Status.Code[] codes;
    final boolean[] wrong;
    final AtomicInteger sent = new AtomicInteger();
    private final long origin;

    private Record(int capacity, long origin) {
      sentNanos = new long[capacity];
      latencyNanos = new long[capacity];
      codes = new Status.Code[capacity];
      wrong = new boolean[capacity];
      this.origin = origin;
    }

    /** Seconds from the start of the run to when call {@code i} was sent. */
    double sentAtSeconds(int i) {
      return (sentNanos[i] - origin) / 1e9;
    }
  }

  private final List<Phase> phases;
  private final Call call;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile Record record;

  PacedLoad(List<Phase> phases, Call call) {
    this.phases = List.copyOf(phases);
    this.call = call;
  }

  /** Calls sent so far. */
  int sent() {
    Record current = record;
    return current == null ? 0 : current.sent.get();
  }

  /**
   * Runs every phase on this thread, then waits up to {@code drain} for the calls still out; a call
   * not answered by then counts as DEADLINE_EXCEEDED.
   */
  Result run(Duration drain) throws InterruptedException {
    int capacity = 16;
    for (Phase phase : phases) {
      capacity += (int) Math.ceil(phase.callsPerSecond() * phase.length().toNanos() / 1e9) + 1;
    }
    long origin = System.nanoTime();
    Record run = new Record(capacity, origin);
    record = run;
    long phaseStart = origin;
    double[] boundaries = new double[phases.size()];
    for (int p = 0; p < phases.size(); p++) {
      Phase phase = phases.get(p);
      long interval = (long) (1e9 / phase.callsPerSecond());
      long end = phaseStart + phase.length().toNanos();
      for (long next = phaseStart; next < end; next += interval) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        send(run, run.sent.getAndIncrement());
      }
      phaseStart = end;
      boundaries[p] = (end - origin) / 1e9;
    }
    long deadline = System.nanoTime() + drain.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(10);
    }
    return new Result(run, run.sent.get(), boundaries);
  }

  private void send(Record run, int i) {
    long start = System.nanoTime();
    run.sentNanos[i] = start;
    inFlight.incrementAndGet();
    ListenableFuture<Boolean> answer;
    try {
      answer = call.start(i);
    } catch (RuntimeException e) {
      answer = Futures.immediateFailedFuture(e);
    }
    Futures.addCallback(
        answer,
        new FutureCallback<Boolean>() {
          @Override
          public void onSuccess(Boolean right) {
            finish(Status.Code.OK, !right);
          }

          @Override
          public void onFailure(Throwable error) {
            finish(Status.fromThrowable(error).getCode(), false);
          }

          private void finish(Status.Code code, boolean wrong) {
            run.latencyNanos[i] = System.nanoTime() - start;
            run.wrong[i] = wrong;
            run.codes[i] = code;
            inFlight.decrementAndGet();
          }
        },
        MoreExecutors.directExecutor());
  }

  /** The calls of a finished run and figures over them. */
  static final class Result {

    static final Set<Status.Code> REJECTIONS =
        EnumSet.of(Status.Code.RESOURCE_EXHAUSTED, Status.Code.UNAVAILABLE);

    private final Record record;
    private final int calls;
    private final double[] phaseEnds;

    private Result(Record record, int calls, double[] phaseEnds) {
      this.record = record;
      this.calls = calls;
      this.phaseEnds = phaseEnds.clone();
    }

    int calls() {
      return calls;
    }

    /** Seconds from the start at which phase {@code index} ended. */
    double phaseEnd(int index) {
      return phaseEnds[index];
    }

    /** Calls with {@code code}; a call never answered counts as DEADLINE_EXCEEDED. */
    long count(Status.Code code) {
      long n = 0;
      for (int i = 0; i < calls; i++) {
        if (code(i) == code) {
          n++;
        }
      }
      return n;
    }

    /** Calls answered OK but wrongly. */
    long wrong() {
      long n = 0;
      for (int i = 0; i < calls; i++) {
        if (record.wrong[i]) {
          n++;
        }
      }
      return n;
    }

    /** Calls sent within [from, to) seconds with one of {@code codes}. */
    long count(Set<Status.Code> codes, double from, double to) {
      long n = 0;
      for (int i = 0; i < calls; i++) {
        double at = record.sentAtSeconds(i);
        if (at >= from && at < to && codes.contains(code(i))) {
          n++;
        }
      }
      return n;
    }

    /** Latency histogram (µs) of the calls sent within [from, to) with one of {@code codes}. */
    Histogram latencies(Set<Status.Code> codes, double from, double to) {
      Histogram histogram = new Histogram(3);
      for (int i = 0; i < calls; i++) {
        double at = record.sentAtSeconds(i);
        if (at >= from && at < to && codes.contains(code(i))) {
          histogram.recordValue(Math.max(1, record.latencyNanos[i] / 1_000));
        }
      }
      return histogram;
    }

    /**
     * Seconds from {@code from} to the end of the last {@code window} (by send time, before {@code
     * to}) that holds a call that failed or took longer than {@code slowMicros}: how long the
     * service took to return to normal; 0 when every window was normal.
     */
    double recovery(double from, double to, double window, long slowMicros) {
      double lastBad = from;
      for (int i = 0; i < calls; i++) {
        double at = record.sentAtSeconds(i);
        if (at < from || at >= to) {
          continue;
        }
        boolean bad = code(i) != Status.Code.OK || record.latencyNanos[i] / 1_000 > slowMicros;
        if (bad) {
          double windowEnd = from + (Math.floor((at - from) / window) + 1) * window;
          lastBad = Math.max(lastBad, windowEnd);
        }
      }
      return lastBad - from;
    }

    /** Seconds from the start to the send of the last call with {@code code}; -1 when none. */
    double lastSentWith(Status.Code code) {
      double last = -1;
      for (int i = 0; i < calls; i++) {
        if (code(i) == code) {
          last = Math.max(last, record.sentAtSeconds(i));
        }
      }
      return last;
    }

    private Status.Code code(int i) {
      Status.Code code = record.codes[i];
      return code == null ? Status.Code.DEADLINE_EXCEEDED : code;
    }
  }
}
