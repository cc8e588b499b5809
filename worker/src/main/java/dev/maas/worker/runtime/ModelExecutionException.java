package dev.maas.worker.runtime;

import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.exceptions.TFOutOfRangeException;
import org.tensorflow.exceptions.TFUnimplementedException;
import org.tensorflow.exceptions.TensorFlowException;

/**
 * A model run failed; {@link #invalidInput()} tells whether the inputs were at fault (such as
 * TensorFlow's INVALID_ARGUMENT) rather than the model or the runtime.
 */
public final class ModelExecutionException extends RuntimeException {

  private final boolean invalidInput;

  /** A failure with TensorFlow's (or our) message, classified as the caller's fault or not. */
  public ModelExecutionException(String message, boolean invalidInput, Throwable cause) {
    super(message, cause);
    this.invalidInput = invalidInput;
  }

  /** Whether the inputs were rejected, so retrying the same request cannot succeed. */
  public boolean invalidInput() {
    return invalidInput;
  }

  /** Inputs that do not fit their declared type or shape. */
  static ModelExecutionException invalidInput(String message) {
    return new ModelExecutionException(message, true, null);
  }

  /**
   * Classifies a TensorFlow failure by the status TensorFlow reported: a {@link
   * TensorFlowException}, {@link TFInvalidArgumentException} or {@link TFUnimplementedException}
   * (TF Java maps statuses to these three unrelated types).
   */
  static ModelExecutionException fromTensorFlow(RuntimeException e) {
    boolean invalidInput =
        e instanceof TFInvalidArgumentException || e instanceof TFOutOfRangeException;
    return new ModelExecutionException(e.getMessage(), invalidInput, e);
  }
}
