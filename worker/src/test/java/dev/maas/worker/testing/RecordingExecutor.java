package dev.maas.worker.testing;

import dev.maas.worker.batching.BatchExecutor;
import dev.maas.worker.tensor.HostTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs batches on a real model and records each batch's inputs; a gated one holds every batch at a
 * gate until {@link #open()}, so that a test can keep the batch threads busy while requests queue.
 * The gate only delays the real run, it never replaces it.
 */
public final class RecordingExecutor implements BatchExecutor {

  private final BatchExecutor model;
  private final CountDownLatch gate;
  private final AtomicInteger entered = new AtomicInteger();
  private final List<List<HostTensor>> batches = new CopyOnWriteArrayList<>();

  private RecordingExecutor(BatchExecutor model, boolean gated) {
    this.model = model;
    this.gate = new CountDownLatch(gated ? 1 : 0);
  }

  /** Records and runs every batch at once. */
  public static RecordingExecutor ungated(BatchExecutor model) {
    return new RecordingExecutor(model, false);
  }

  /** Records every batch and holds it until {@link #open()} is called. */
  public static RecordingExecutor gated(BatchExecutor model) {
    return new RecordingExecutor(model, true);
  }

  @Override
  public List<HostTensor> run(List<HostTensor> inputs) {
    entered.incrementAndGet();
    batches.add(List.copyOf(inputs));
    try {
      if (!gate.await(1, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the test never opened the gate");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted at the gate", e);
    }
    return model.run(inputs);
  }

  /** Lets every held and future batch run. */
  public void open() {
    gate.countDown();
  }

  /** Batches that have reached the executor, including those held at the gate. */
  public int entered() {
    return entered.get();
  }

  /** The inputs of every batch that reached the executor, in arrival order. */
  public List<List<HostTensor>> batches() {
    return new ArrayList<>(batches);
  }

  /** Dimension 0 of the first input of every batch: the batch sizes in items. */
  public List<Long> batchSizes() {
    return batches.stream().map(inputs -> inputs.get(0).dim(0)).toList();
  }

  /** Every float value of the first input of every batch, for checking what ran. */
  public List<Float> valuesSeen() {
    List<Float> seen = new ArrayList<>();
    for (List<HostTensor> inputs : batches) {
      for (float value : Floats.values(inputs.get(0))) {
        seen.add(value);
      }
    }
    return seen;
  }
}
