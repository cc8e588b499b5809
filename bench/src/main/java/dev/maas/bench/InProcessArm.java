package dev.maas.bench;

import dev.maas.worker.runtime.SavedModelRuntime;
import dev.maas.worker.tensor.HostTensor;
import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Arm A, the limit: one caller running the model in this JVM through the worker's own runtime,
 * tensor creation from the request bytes and read-back of the outputs included, no RPC at all.
 */
final class InProcessArm implements Window.Runner {

  private final SavedModelRuntime runtime;
  private final List<HostTensor> inputs;

  /** Runs {@code runtime} on {@code batch} rows of {@code input}. */
  InProcessArm(SavedModelRuntime runtime, DemoInput input, int batch) {
    this.runtime = runtime;
    this.inputs = List.of(input.hostTensor(batch));
  }

  @Override
  public Window run(Duration length) {
    Histogram latency = new Histogram(3);
    long start = System.nanoTime();
    long end = start + length.toNanos();
    long calls = 0;
    long now = start;
    while (now < end) {
      List<HostTensor> outputs = runtime.run(inputs);
      if (outputs.isEmpty()) {
        throw new IllegalStateException("the model returned no output");
      }
      long done = System.nanoTime();
      latency.recordValue(done - now);
      calls++;
      now = done;
    }
    return new Window((now - start) / 1e9, calls, 0, "", latency);
  }
}
