package dev.maas.cli.infer;

import dev.maas.cli.CliException;
import dev.maas.sdk.DataType;
import dev.maas.sdk.ModelMetadata;
import dev.maas.sdk.Tensor;
import dev.maas.sdk.TensorSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One {@code --input NAME=SOURCE}: SOURCE is a {@code .npy} file, a JSON file, or {@code @} and
 * inline JSON ({@code x=@[[1,2,3,4]]}).
 *
 * @param name the input's name in the model's signature
 * @param source where its values come from
 */
public record InputSpec(String name, String source) {

  /**
   * Parses {@code NAME=SOURCE}.
   *
   * @throws IllegalArgumentException without a name or a source
   */
  public static InputSpec parse(String text) {
    int equals = text.indexOf('=');
    if (equals <= 0 || equals == text.length() - 1) {
      throw new IllegalArgumentException(
          "--input '" + text + "' is not NAME=FILE.json, NAME=FILE.npy or NAME=@JSON");
    }
    return new InputSpec(text.substring(0, equals).strip(), text.substring(equals + 1).strip());
  }

  /** Picocli's converter. */
  public static final class Converter implements picocli.CommandLine.ITypeConverter<InputSpec> {
    @Override
    public InputSpec convert(String value) {
      return parse(value);
    }
  }

  /**
   * The tensors of {@code specs} for a model described by {@code metadata}: each as its input's
   * datatype, with a batch dimension of 1 added when the model has one and the value lacks it;
   * inputs without a spec get random values when {@code randomForMissing}, else are refused.
   *
   * @throws CliException (usage) for unknown or missing inputs, (input) for unreadable files
   */
  public static List<Tensor> tensors(
      List<InputSpec> specs, ModelMetadata metadata, boolean randomForMissing) {
    List<String> known = metadata.inputs().stream().map(TensorSpec::name).toList();
    List<Tensor> tensors = new ArrayList<>();
    for (InputSpec spec : specs) {
      TensorSpec input =
          metadata.inputs().stream()
              .filter(i -> i.name().equals(spec.name()))
              .findFirst()
              .orElseThrow(
                  () ->
                      CliException.usage(
                          "model "
                              + metadata.name()
                              + " has no input '"
                              + spec.name()
                              + "'; its inputs: "
                              + describe(metadata.inputs())));
      tensors.add(withBatch(spec.read(input.dataType()), input));
    }
    List<String> missing =
        known.stream().filter(n -> specs.stream().noneMatch(s -> s.name().equals(n))).toList();
    if (randomForMissing) {
      java.util.Random random = new java.util.Random(42);
      metadata.inputs().stream()
          .filter(i -> missing.contains(i.name()))
          .forEach(i -> tensors.add(RandomInputs.of(i, random)));
    } else if (!missing.isEmpty()) {
      throw CliException.usage(
          "missing --input for "
              + String.join(", ", missing)
              + "; model "
              + metadata.name()
              + " takes "
              + describe(metadata.inputs()));
    }
    return tensors;
  }

  /** Describes inputs as {@code images (FP32 [-1, 32, 32, 3])}. */
  static String describe(List<TensorSpec> inputs) {
    return inputs.stream()
        .map(i -> i.name() + " (" + i.datatype() + " " + i.shape() + ")")
        .collect(Collectors.joining(", "));
  }

  private Tensor read(DataType type) {
    try {
      if (source.startsWith("@")) {
        return JsonTensors.read(name, type, source.substring(1));
      }
      Path file = Path.of(source);
      if (source.endsWith(".npy")) {
        return NpyTensors.read(name, type, Files.readAllBytes(file));
      }
      return JsonTensors.read(name, type, Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw CliException.input("input '" + name + "': no such file " + source);
    } catch (IOException e) {
      throw CliException.input(
          "input '" + name + "': cannot read " + source + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new CliException(dev.maas.cli.ExitCodes.INPUT, e.getMessage(), e);
    }
  }

  private static Tensor withBatch(Tensor tensor, TensorSpec input) {
    List<Long> wanted = input.shape();
    long[] shape = tensor.shape();
    if (wanted.size() == shape.length + 1 && wanted.get(0) == -1) {
      long[] batched = new long[shape.length + 1];
      batched[0] = 1;
      System.arraycopy(shape, 0, batched, 1, shape.length);
      return Tensor.ofRaw(tensor.name(), tensor.dataType(), tensor.rawBytes(), batched);
    }
    return tensor;
  }
}
