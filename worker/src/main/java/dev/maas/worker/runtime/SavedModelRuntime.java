package dev.maas.worker.runtime;

import dev.maas.worker.tensor.HostTensor;
import dev.maas.worker.tensor.ModelSignature;
import dev.maas.worker.tensor.TensorSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.exceptions.TFUnimplementedException;
import org.tensorflow.exceptions.TensorFlowException;

/**
 * One loaded TensorFlow SavedModel serving one signature, run on host tensors in the protocol's raw
 * encoding.
 *
 * <p>Thread-safe: {@link #run} may be called from many threads at once (TensorFlow sessions run
 * concurrently); {@link #close} must not overlap a run.
 */
public final class SavedModelRuntime implements AutoCloseable {

  /** The meta-graph tag of serving graphs, as TensorFlow Serving uses. */
  static final String SERVE_TAG = "serve";

  private final SavedModelBundle bundle;
  private final Session session;
  private final SignatureBinding binding;
  private final Map<String, Integer> inputIndex;

  private SavedModelRuntime(SavedModelBundle bundle, SignatureBinding binding) {
    this.bundle = bundle;
    this.session = bundle.session();
    this.binding = binding;
    Map<String, Integer> index = new HashMap<>();
    List<TensorSpec> inputs = binding.signature().inputs();
    for (int i = 0; i < inputs.size(); i++) {
      index.put(inputs.get(i).name(), i);
    }
    this.inputIndex = Map.copyOf(index);
  }

  /**
   * Loads the graph tagged {@code serve} of the SavedModel in {@code dir} and binds one of its
   * signatures.
   *
   * @throws ModelLoadException with a reason fit for the model's owner when {@code dir} is not a
   *     SavedModel, TensorFlow cannot load it, the signature is absent, or a signature tensor has
   *     an unserved type or unknown rank; nothing stays open then
   */
  public static SavedModelRuntime load(Path dir, String signatureName, SessionSettings settings)
      throws ModelLoadException {
    TensorBytes.requireLittleEndianHost();
    NarrowIntegerTypes.register();
    if (!Files.isDirectory(dir)) {
      throw new ModelLoadException(dir + " is not a directory");
    }
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))
        && !Files.isRegularFile(dir.resolve("saved_model.pbtxt"))) {
      throw new ModelLoadException(dir + " is not a SavedModel: it has no saved_model.pb");
    }
    SavedModelBundle bundle;
    try {
      bundle =
          SavedModelBundle.loader(dir.toString())
              .withTags(SERVE_TAG)
              .withConfigProto(settings.toConfigProto())
              .load();
    } catch (TensorFlowException | IllegalArgumentException | UnsupportedOperationException e) {
      // TF Java reports INVALID_ARGUMENT and UNIMPLEMENTED as the two JDK types.
      throw new ModelLoadException("TensorFlow cannot load " + dir + ": " + e.getMessage(), e);
    }
    try {
      return new SavedModelRuntime(bundle, SignatureBinding.resolve(bundle, signatureName));
    } catch (ModelLoadException | RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  /** The inputs and outputs of the bound signature, each sorted by signature key. */
  public ModelSignature signature() {
    return binding.signature();
  }

  /**
   * Runs the model once.
   *
   * @param inputs one tensor per signature input, named by its signature key, in any order; the
   *     caller has checked types and shapes against {@link #signature()}
   * @return every signature output, in {@code signature().outputs()} order
   * @throws ModelExecutionException when an input is missing, repeated or malformed, or TensorFlow
   *     fails; {@link ModelExecutionException#invalidInput()} tells whose fault it is
   */
  public List<HostTensor> run(List<HostTensor> inputs) {
    Tensor[] feeds = new Tensor[inputIndex.size()];
    try {
      for (HostTensor input : inputs) {
        feeds[slotOf(input.name(), feeds)] = TensorBytes.toTensor(input);
      }
      Session.Runner runner = session.runner();
      for (int i = 0; i < feeds.length; i++) {
        if (feeds[i] == null) {
          throw ModelExecutionException.invalidInput(
              "missing input " + binding.signature().inputs().get(i).name());
        }
        runner.feed(binding.inputTensors().get(i), feeds[i]);
      }
      binding.outputTensors().forEach(runner::fetch);
      try (Result result = runner.run()) {
        List<TensorSpec> outputs = binding.signature().outputs();
        List<HostTensor> hostOutputs = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
          hostOutputs.add(TensorBytes.toHost(outputs.get(i).name(), result.get(i)));
        }
        return hostOutputs;
      }
    } catch (TensorFlowException | TFInvalidArgumentException | TFUnimplementedException e) {
      throw ModelExecutionException.fromTensorFlow(e);
    } finally {
      for (Tensor feed : feeds) {
        if (feed != null) {
          feed.close();
        }
      }
    }
  }

  private int slotOf(String name, Tensor[] feeds) {
    Integer slot = inputIndex.get(name);
    if (slot == null) {
      throw ModelExecutionException.invalidInput(
          "unknown input " + name + "; the model takes " + inputIndex.keySet());
    }
    if (feeds[slot] != null) {
      throw ModelExecutionException.invalidInput("input " + name + " given twice");
    }
    return slot;
  }

  /** Closes the session and graph; the runtime must not be used afterwards. */
  @Override
  public void close() {
    bundle.close();
  }
}
