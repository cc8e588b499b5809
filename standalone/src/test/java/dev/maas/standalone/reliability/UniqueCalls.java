package dev.maas.standalone.reliability;

import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.standalone.demo.Bearer;
import dev.maas.standalone.testing.Tensors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Client threads that call with unique ids ({@code id} of the request), each call retried until it
 * succeeds, as a careful client would; the answers are checked.
 */
final class UniqueCalls implements AutoCloseable {
  private final ProcessCluster cluster;
  private final String key;
  private final int total;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger finished = new AtomicInteger();
  private final AtomicLongArray succeededAt;
  private final AtomicInteger wrong = new AtomicInteger();
  private final Map<Status.Code, AtomicInteger> failures = new ConcurrentHashMap<>();
  private final Set<Integer> gaveUp = ConcurrentHashMap.newKeySet();
  private final List<Thread> threads = new ArrayList<>();
  private final long origin = System.nanoTime();

  /** Calls {@code total} unique ids of the affine model "counted" through the cluster's gateway. */
  UniqueCalls(ProcessCluster cluster, String key, int total) {
    this.cluster = cluster;
    this.key = key;
    this.total = total;
    this.succeededAt = new AtomicLongArray(total);
  }

  void start(int count) {
    for (int t = 0; t < count; t++) {
      Thread thread = new Thread(this::loop, "unique-calls-" + t);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  private void loop() {
    for (int id = next.getAndIncrement(); id < total; id = next.getAndIncrement()) {
      call(id);
      finished.incrementAndGet();
    }
  }

  private void call(int id) {
    float x = id % 1000;
    ModelInferRequest request =
        Tensors.affine("counted", "", x, x + 1, x + 2, x + 3).toBuilder()
            .setId("call-" + id)
            .build();
    List<Float> expected = List.of(2 * x + 1, 2 * x + 3, 2 * x + 5, 2 * x + 7);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      try {
        List<Float> y =
            Tensors.output(
                GRPCInferenceServiceGrpc.newBlockingStub(Bearer.over(cluster.gatewayChannel(), key))
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .modelInfer(request),
                "y");
        if (!y.equals(expected)) {
          wrong.incrementAndGet();
        }
        succeededAt.set(id, System.nanoTime() - origin);
        return;
      } catch (StatusRuntimeException e) {
        failures
            .computeIfAbsent(e.getStatus().getCode(), c -> new AtomicInteger())
            .incrementAndGet();
        cluster.gatewayChannel().resetConnectBackoff();
        try {
          TimeUnit.MILLISECONDS.sleep(20);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    gaveUp.add(id);
  }

  int total() {
    return total;
  }

  int finished() {
    return finished.get();
  }

  double elapsedSeconds() {
    return (System.nanoTime() - origin) / 1e9;
  }

  long succeeded() {
    long n = 0;
    for (int i = 0; i < total; i++) {
      if (succeededAt.get(i) > 0) {
        n++;
      }
    }
    return n;
  }

  /** Calls that succeeded within [from, to) seconds of the start. */
  long succeededBetween(double from, double to) {
    long n = 0;
    for (int i = 0; i < total; i++) {
      double at = succeededAt.get(i) / 1e9;
      if (at > 0 && at >= from && at < to) {
        n++;
      }
    }
    return n;
  }

  int wrong() {
    return wrong.get();
  }

  Set<Integer> gaveUp() {
    return Set.copyOf(gaveUp);
  }

  Map<Status.Code, Integer> failuresByCode() {
    Map<Status.Code, Integer> counts = new TreeMap<>();
    failures.forEach((code, n) -> counts.put(code, n.get()));
    return counts;
  }

  @Override
  public void close() throws InterruptedException {
    next.set(total);
    for (Thread thread : threads) {
      thread.join(180_000);
    }
  }
}
