package dev.maas.standalone.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Threads that make one call after another until stopped, counting successes and keeping every
 * failure with the phase of the test it happened in.
 */
final class LoadGenerator implements AutoCloseable {

  /** One call; it throws when the call failed or its answer is wrong. */
  @FunctionalInterface
  interface Call {
    void run() throws Exception;
  }

  /** A failed call: the phase it happened in and what was thrown. */
  record Failure(String phase, Throwable error) {
    @Override
    public String toString() {
      return phase + ": " + error;
    }
  }

  private static final long FAILURE_BACKOFF_NANOS = 5_000_000;

  private final Call call;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicLong successes = new AtomicLong();
  private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
  private final AtomicReference<String> phase = new AtomicReference<>("start");

  LoadGenerator(Call call) {
    this.call = call;
  }

  /** Starts {@code count} calling threads. */
  LoadGenerator start(int count) {
    running.set(true);
    for (int i = 0; i < count; i++) {
      Thread thread = new Thread(this::loop, "e2e-load-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    return this;
  }

  /** Names the phase failures from now on are filed under. */
  void phase(String name) {
    phase.set(name);
  }

  /** Calls that succeeded so far. */
  long successes() {
    return successes.get();
  }

  /** Calls made so far, successful or not. */
  long calls() {
    return successes.get() + failures.size();
  }

  /** Every failure so far. */
  List<Failure> failures() {
    return List.copyOf(failures);
  }

  /** The failures filed under {@code phase}, counted by what was thrown (its message). */
  Map<String, Long> failuresIn(String phase) {
    return failures.stream()
        .filter(f -> f.phase().equals(phase))
        .collect(
            Collectors.groupingBy(f -> f.error().toString(), TreeMap::new, Collectors.counting()));
  }

  /** Stops the threads after their current call and waits for them. */
  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread thread : threads) {
      thread.join(60_000);
    }
  }

  private void loop() {
    while (running.get()) {
      String current = phase.get();
      try {
        call.run();
        successes.incrementAndGet();
      } catch (Exception | AssertionError e) {
        failures.add(new Failure(current, e));
        // A client backs off after a failure; spinning would starve the cluster's processes.
        LockSupport.parkNanos(FAILURE_BACKOFF_NANOS);
      }
    }
  }
}
