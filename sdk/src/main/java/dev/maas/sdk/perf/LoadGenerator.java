package dev.maas.sdk.perf;

import dev.maas.sdk.InferRequest;
import dev.maas.sdk.MaasClient;
import dev.maas.sdk.MaasException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * A closed-loop load generator in the spirit of Triton's perf_analyzer: at a concurrency of N it
 * keeps N inference calls in flight, sending the next as soon as one answers, first through a
 * warm-up (not measured), then through a measurement window. Only calls sent in the window and
 * answered before it ends count. Uses asynchronous calls, so N costs no threads.
 */
public final class LoadGenerator {

  private static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

  private final AsyncCall call;
  private final Duration callTimeout;

  /** A generator sending {@code request} (the same one each time) through {@code client}. */
  public LoadGenerator(MaasClient client, InferRequest request) {
    this(
        () -> client.inferAsync(request),
        request.timeout() == null ? DEFAULT_CALL_TIMEOUT : request.timeout());
  }

  /**
   * A generator that starts each call with {@code call}, such as a raw gRPC call reusing one
   * pre-built request message, so that encoding is not part of what is measured.
   *
   * @param callTimeout the longest a single call may take (its deadline); a level waits for calls
   *     in flight at its end for up to twice this
   */
  public LoadGenerator(AsyncCall call, Duration callTimeout) {
    this.call = call;
    this.callTimeout = callTimeout;
  }

  /**
   * Starts one call of a load test without blocking. The future completes (on any thread) when the
   * call is answered, exceptionally with a {@link MaasException}, a gRPC {@link
   * StatusRuntimeException} or {@link StatusException} when it fails.
   */
  @FunctionalInterface
  public interface AsyncCall {

    /** Starts the call. */
    CompletableFuture<?> start();
  }

  /**
   * Runs one concurrency level and returns what it measured; successful calls' latencies go to
   * {@code recorder}.
   *
   * @throws InterruptedException when interrupted while waiting for the level to end
   */
  public LevelResult run(
      int concurrency, Duration warmup, Duration measure, LatencyRecorder recorder)
      throws InterruptedException {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    long start = System.nanoTime();
    Level level =
        new Level(start + warmup.toNanos(), start + warmup.toNanos() + measure.toNanos(), recorder);
    CountDownLatch lanesDone = new CountDownLatch(concurrency);
    for (int i = 0; i < concurrency; i++) {
      send(level, lanesDone);
    }
    long waitNanos = warmup.toNanos() + measure.toNanos() + callTimeout.toNanos() * 2;
    if (!lanesDone.await(waitNanos, TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException("calls did not finish within " + Duration.ofNanos(waitNanos));
    }
    return level.result(concurrency, measure);
  }

  /** Sends one call; its completion sends the next while the window lasts. */
  private void send(Level level, CountDownLatch lanesDone) {
    long sentAt = System.nanoTime();
    CompletableFuture<?> started;
    try {
      started = call.start();
    } catch (RuntimeException e) {
      level.failed(sentAt, System.nanoTime(), e);
      lanesDone.countDown();
      return;
    }
    started.whenComplete(
        (result, error) -> {
          long answeredAt = System.nanoTime();
          if (error == null) {
            level.succeeded(sentAt, answeredAt);
          } else {
            level.failed(sentAt, answeredAt, error);
          }
          if (answeredAt < level.end) {
            send(level, lanesDone);
          } else {
            lanesDone.countDown();
          }
        });
  }

  /** The counters of one level; updated from gRPC threads. */
  private static final class Level {
    final long windowStart;
    final long end;
    final LatencyRecorder recorder;
    final AtomicLong successes = new AtomicLong();
    final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    final AtomicReference<String> firstError = new AtomicReference<>("");

    Level(long windowStart, long end, LatencyRecorder recorder) {
      this.windowStart = windowStart;
      this.end = end;
      this.recorder = recorder;
    }

    boolean counts(long sentAt, long answeredAt) {
      return sentAt >= windowStart && answeredAt <= end;
    }

    void succeeded(long sentAt, long answeredAt) {
      if (counts(sentAt, answeredAt)) {
        successes.incrementAndGet();
        recorder.record(answeredAt - sentAt);
      }
    }

    void failed(long sentAt, long answeredAt, Throwable error) {
      if (!counts(sentAt, answeredAt)) {
        return;
      }
      Throwable cause =
          error instanceof CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      errors.computeIfAbsent(codeOf(cause), c -> new LongAdder()).increment();
      firstError.compareAndSet("", String.valueOf(cause.getMessage()));
    }

    private static String codeOf(Throwable cause) {
      if (cause instanceof MaasException maas) {
        return maas.code().name();
      }
      if (cause instanceof StatusRuntimeException || cause instanceof StatusException) {
        return Status.fromThrowable(cause).getCode().name();
      }
      return "CLIENT";
    }

    LevelResult result(int concurrency, Duration measure) {
      Map<String, Long> byCode = new TreeMap<>();
      long total = 0;
      for (Map.Entry<String, LongAdder> entry : errors.entrySet()) {
        byCode.put(entry.getKey(), entry.getValue().sum());
        total += entry.getValue().sum();
      }
      return new LevelResult(
          concurrency, measure, successes.get(), total, byCode, firstError.get());
    }
  }
}
