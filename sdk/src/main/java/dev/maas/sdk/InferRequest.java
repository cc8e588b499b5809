package dev.maas.sdk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One inference call: the model, its inputs, and how to call.
 *
 * @param model the model's name in the caller's tenant
 * @param version the version to run, or empty for the one the deployment chooses
 * @param id a request id echoed in the result, or empty
 * @param inputs the input tensors, named as the model's signature names them
 * @param outputs the outputs wanted; empty means all
 * @param timeout the deadline of this call, or null for the client's default
 * @param encoding how the inputs are encoded on the wire
 */
public record InferRequest(
    String model,
    String version,
    String id,
    List<Tensor> inputs,
    List<String> outputs,
    Duration timeout,
    TensorEncoding encoding) {

  /** Checks and copies the fields. */
  public InferRequest {
    Objects.requireNonNull(model, "model");
    version = Objects.requireNonNullElse(version, "");
    id = Objects.requireNonNullElse(id, "");
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    encoding = Objects.requireNonNullElse(encoding, TensorEncoding.RAW);
    if (model.isBlank()) {
      throw new IllegalArgumentException("the model name is empty");
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("the timeout must be positive, got " + timeout);
    }
  }

  /** A request for {@code model} with these inputs and the defaults otherwise. */
  public static InferRequest of(String model, Tensor... inputs) {
    return builder(model).inputs(List.of(inputs)).build();
  }

  /** A builder of a request for {@code model}. */
  public static Builder builder(String model) {
    return new Builder(model);
  }

  /** A copy with another deadline. */
  public InferRequest withTimeout(Duration newTimeout) {
    return new InferRequest(model, version, id, inputs, outputs, newTimeout, encoding);
  }

  /** Builds an {@link InferRequest}. Not thread-safe. */
  public static final class Builder {
    private final String model;
    private String version = "";
    private String id = "";
    private final List<Tensor> inputs = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();
    private Duration timeout;
    private TensorEncoding encoding = TensorEncoding.RAW;

    private Builder(String model) {
      this.model = model;
    }

    /** Runs this version of the model instead of the one the deployment chooses. */
    public Builder version(long number) {
      this.version = Long.toString(number);
      return this;
    }

    /** Runs this version (a number, as the protocol carries it as text). */
    public Builder version(String number) {
      this.version = number;
      return this;
    }

    /** Sets the request id echoed in the result. */
    public Builder id(String requestId) {
      this.id = requestId;
      return this;
    }

    /** Adds an input. */
    public Builder input(Tensor input) {
      inputs.add(Objects.requireNonNull(input, "input"));
      return this;
    }

    /** Adds inputs. */
    public Builder inputs(List<Tensor> more) {
      more.forEach(this::input);
      return this;
    }

    /** Asks for this output only (call again for more); none asks for all. */
    public Builder output(String name) {
      outputs.add(Objects.requireNonNull(name, "name"));
      return this;
    }

    /** Sets the deadline of this call. */
    public Builder timeout(Duration callTimeout) {
      this.timeout = callTimeout;
      return this;
    }

    /** Sets the wire encoding of the inputs ({@link TensorEncoding#RAW} by default). */
    public Builder encoding(TensorEncoding tensorEncoding) {
      this.encoding = tensorEncoding;
      return this;
    }

    /** The request. */
    public InferRequest build() {
      return new InferRequest(model, version, id, inputs, outputs, timeout, encoding);
    }
  }
}
