package dev.maas.cli.infer;

import dev.maas.cli.CliCommand;
import dev.maas.cli.output.Table;
import dev.maas.sdk.InferRequest;
import dev.maas.sdk.InferResult;
import dev.maas.sdk.ModelMetadata;
import dev.maas.sdk.TensorEncoding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code maas infer MODEL --input NAME=SOURCE ... [--top K]}. */
@Command(
    name = "infer",
    description = {
      "Call a model through the gateway and print its outputs (and, with --top K, the K highest"
          + " scores of each row, for a classifier).",
      "Each --input is NAME=FILE.json, NAME=FILE.npy or NAME=@JSON (inline), such as"
          + " x=@[[1,2,3,4]]; values take the input's datatype from the model, and a batch"
          + " dimension of 1 is added when the model has one and the value lacks it."
    })
public final class InferCommand extends CliCommand {

  @Parameters(paramLabel = "MODEL")
  String model;

  @Option(
      names = {"-i", "--input"},
      paramLabel = "NAME=SOURCE",
      converter = InputSpec.Converter.class,
      description = "An input: NAME=FILE.json, NAME=FILE.npy or NAME=@JSON.")
  List<InputSpec> inputs = List.of();

  @Option(
      names = "--random",
      description = "Random values (batch 1) for the inputs no --input gives: a quick try.")
  boolean random;

  @Option(names = "--version", paramLabel = "V", description = "Run this version.")
  String version;

  @Option(
      names = "--output-tensor",
      paramLabel = "NAME",
      description = "Only this output (repeatable); all by default.")
  List<String> outputTensors = List.of();

  @Option(names = "--top", paramLabel = "K", description = "Show the K highest scores of each row.")
  int top;

  @Option(
      names = "--encoding",
      defaultValue = "raw",
      description = "How tensors travel: raw (default) or typed.")
  TensorEncoding encoding;

  @Override
  protected int run() {
    if (inputs.isEmpty() && !random) {
      throw dev.maas.cli.CliException.usage(
          "give --input NAME=SOURCE for each input of the model, or --random");
    }
    ModelMetadata metadata = inference().modelMetadata(model, version);
    InferRequest.Builder request =
        InferRequest.builder(model)
            .inputs(InputSpec.tensors(inputs, metadata, random))
            .encoding(encoding);
    if (version != null) {
      request.version(version);
    }
    outputTensors.forEach(request::output);
    InferResult result = inference().infer(request.build());
    List<OutputView> outputs = result.outputs().stream().map(OutputView::of).toList();
    List<OutputView.Ranked> ranked = new ArrayList<>();
    if (top > 0) {
      outputs.forEach(o -> ranked.addAll(o.top(top)));
    }
    if (printer().json()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("model", result.model());
      json.put("version", result.version());
      json.put("id", result.id());
      json.put("outputs", outputs);
      if (top > 0) {
        json.put("top", ranked);
      }
      printer().printJson(json);
      return 0;
    }
    out().println("model " + result.model() + ", version " + result.version());
    Table table = Table.of("OUTPUT", "DATATYPE", "SHAPE", "VALUES");
    outputs.forEach(o -> table.row(o.name(), o.datatype(), o.shapeText(), o.preview()));
    table.print(out());
    if (!ranked.isEmpty()) {
      out().println();
      Table topTable = Table.of("OUTPUT", "ROW", "RANK", "CLASS", "SCORE");
      ranked.forEach(
          r ->
              topTable.row(
                  r.output(),
                  r.row(),
                  r.rank(),
                  r.index(),
                  String.format(Locale.ROOT, "%.6f", r.value())));
      topTable.print(out());
    }
    return 0;
  }
}
