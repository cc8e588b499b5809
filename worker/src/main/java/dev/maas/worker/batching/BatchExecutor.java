package dev.maas.worker.batching;

import dev.maas.worker.tensor.HostTensor;
import java.util.List;

/** Runs one batch on a loaded model; called from several batch threads at once. */
@FunctionalInterface
public interface BatchExecutor {

  /**
   * Runs the model.
   *
   * @param inputs one tensor per signature input, in the signature's order
   * @return one tensor per signature output, in the signature's order, each with the inputs'
   *     dimension 0
   */
  List<HostTensor> run(List<HostTensor> inputs);
}
