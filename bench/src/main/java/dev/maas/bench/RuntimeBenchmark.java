package dev.maas.bench;

import com.google.protobuf.ByteString;
import dev.maas.worker.batching.BatchObserver;
import dev.maas.worker.batching.BatchingConfig;
import dev.maas.worker.batching.DynamicBatcher;
import dev.maas.worker.batching.InferenceTask;
import dev.maas.worker.demo.DemoModels;
import dev.maas.worker.runtime.SavedModelRuntime;
import dev.maas.worker.runtime.SessionSettings;
import dev.maas.worker.tensor.DataType;
import dev.maas.worker.tensor.HostTensor;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * LeNet in one process: direct TensorFlow calls at several batch sizes, then single-image requests
 * from concurrent callers through the dynamic batcher, all in one run on one machine.
 */
@Command(
    name = "runtime",
    mixinStandardHelpOptions = true,
    description = "LeNet in-process: direct TensorFlow calls vs. the dynamic batcher.")
final class RuntimeBenchmark implements Callable<Integer> {

  @Option(names = "--seconds", defaultValue = "5", description = "Measured time per arm.")
  int seconds;

  @Option(names = "--warmup-seconds", defaultValue = "2", description = "Warm-up per arm.")
  int warmupSeconds;

  @Option(names = "--callers", defaultValue = "32", description = "Concurrent batcher callers.")
  int callers;

  @Option(
      names = "--batch-sizes",
      split = ",",
      defaultValue = "1,8,32",
      description = "Batch sizes of the direct arm.")
  List<Integer> batchSizes;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("maas-bench-lenet");
    DemoModels.exportLenet(dir.resolve("1"));
    PrintStream out = System.out;
    out.printf(
        "LeNet (32x32x3 -> 10), %d cores, %d s per arm after %d s warm-up%n%n",
        Runtime.getRuntime().availableProcessors(), seconds, warmupSeconds);
    out.println("| arm | batch | samples/s | p50 µs/call | p99 µs/call |");
    out.println("| --- | ---: | ---: | ---: | ---: |");
    try (SavedModelRuntime runtime =
        SavedModelRuntime.load(dir.resolve("1"), "serving_default", SessionSettings.defaults())) {
      double batchOne = 0;
      for (int batch : batchSizes) {
        Result result = direct(runtime, batch);
        batchOne = batch == 1 ? result.samplesPerSecond() : batchOne;
        out.println(result.row("TF direct, 1 caller", Integer.toString(batch)));
      }
      Result batched = batcher(runtime);
      out.println(batched.row("dynamic batcher, " + callers + " callers", "1 each"));
      if (batchOne > 0) {
        out.printf(
            "%nbatcher / TF direct at batch 1: %.2fx%n", batched.samplesPerSecond() / batchOne);
      }
    }
    return 0;
  }

  private Result direct(SavedModelRuntime runtime, int batch) {
    List<HostTensor> inputs = List.of(images(batch, new Random(batch)));
    run(() -> runtime.run(inputs), warmupSeconds);
    Histogram histogram = new Histogram(3);
    long start = System.nanoTime();
    long calls =
        run(
            () -> {
              long t = System.nanoTime();
              runtime.run(inputs);
              histogram.recordValue((System.nanoTime() - t) / 1000);
            },
            seconds);
    double elapsed = (System.nanoTime() - start) / 1e9;
    return new Result(calls * batch / elapsed, histogram);
  }

  private Result batcher(SavedModelRuntime runtime) throws InterruptedException {
    BatchingConfig config = new BatchingConfig(32, 0, List.of(), 4096, 1);
    Histogram histogram = new Histogram(3);
    LongAdder completed = new LongAdder();
    try (DynamicBatcher batcher =
        new DynamicBatcher("lenet-bench", config, runtime::run, BatchObserver.NONE)) {
      long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
      long end = warmEnd + TimeUnit.SECONDS.toNanos(seconds);
      CountDownLatch done = new CountDownLatch(callers);
      for (int c = 0; c < callers; c++) {
        List<HostTensor> inputs = List.of(images(1, new Random(c)));
        Thread caller =
            new Thread(
                () -> {
                  try {
                    long now;
                    while ((now = System.nanoTime()) < end) {
                      InferenceTask task = InferenceTask.of(inputs, 1, InferenceTask.NO_DEADLINE);
                      batcher.schedule(task);
                      task.result().join();
                      if (now > warmEnd) {
                        synchronized (histogram) {
                          histogram.recordValue((System.nanoTime() - now) / 1000);
                        }
                        completed.increment();
                      }
                    }
                  } finally {
                    done.countDown();
                  }
                });
        caller.start();
      }
      done.await();
    }
    return new Result(completed.sum() / (double) seconds, histogram);
  }

  private static long run(Runnable call, int forSeconds) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(forSeconds);
    long calls = 0;
    while (System.nanoTime() < end) {
      call.run();
      calls++;
    }
    return calls;
  }

  private static HostTensor images(int batch, Random random) {
    int elements = batch * 32 * 32 * 3;
    ByteBuffer buffer = ByteBuffer.allocate(elements * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < elements; i++) {
      buffer.putFloat(random.nextFloat());
    }
    return new HostTensor(
        "images",
        DataType.FP32,
        new long[] {batch, 32, 32, 3},
        ByteString.copyFrom(buffer.array()));
  }

  private record Result(double samplesPerSecond, Histogram latency) {
    String row(String arm, String batch) {
      return String.format(
          "| %s | %s | %,.0f | %d | %d |",
          arm,
          batch,
          samplesPerSecond,
          latency.getValueAtPercentile(50),
          latency.getValueAtPercentile(99));
    }
  }
}
