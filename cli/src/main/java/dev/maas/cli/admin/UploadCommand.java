package dev.maas.cli.admin;

import dev.maas.cli.CliCommand;
import dev.maas.cli.CliException;
import dev.maas.cli.Durations;
import dev.maas.cli.ExitCodes;
import dev.maas.cli.output.Printer;
import dev.maas.sdk.admin.ModelVersion;
import dev.maas.sdk.admin.UploadProgress;
import dev.maas.sdk.admin.UploadResult;
import dev.maas.sdk.admin.VersionState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code maas model upload DIR --model NAME}. */
@Command(
    name = "upload",
    description = {
      "Upload a SavedModel directory as the model's next version: packs it as a tar on the fly,"
          + " streams it with a progress bar, prints its SHA-256 and waits until the version is"
          + " READY, or prints why it FAILED (exit 3)."
    })
final class UploadCommand extends CliCommand {

  @Parameters(paramLabel = "DIR", description = "The SavedModel directory (with saved_model.pb).")
  Path directory;

  @Option(names = "--model", required = true, paramLabel = "NAME", description = "The model.")
  String model;

  @Option(names = "--create", description = "Create the model first if it does not exist.")
  boolean create;

  @Option(names = "--no-progress", description = "No progress bar.")
  boolean noProgress;

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      defaultValue = "10m",
      converter = Durations.Converter.class,
      description = "How long to wait for the version to settle (default ${DEFAULT-VALUE}).")
  java.time.Duration wait;

  @Override
  protected int run() {
    if (!Files.isDirectory(directory)) {
      throw CliException.input(directory + " is not a directory");
    }
    String tenant = tenant();
    if (create && admin().models().list(tenant).stream().noneMatch(m -> m.name().equals(model))) {
      admin().models().create(tenant, model, "");
      err().println("created model " + model);
    }
    UploadResult result = upload(tenant);
    ModelVersion version = result.version();
    if (!version.state().isSettled()) {
      version = admin().models().awaitSettled(tenant, model, version.version(), wait);
    }
    err().println("sha256: " + result.sha256() + "  (" + Printer.bytes(result.sizeBytes()) + ")");
    err().flush();
    ModelVersion settled = version;
    printer().print(settled, () -> VersionCommands.table(List.of(settled)));
    if (settled.state() == VersionState.FAILED) {
      throw new CliException(
          ExitCodes.VERSION_FAILED,
          "version " + settled.version() + " of " + model + " FAILED: " + settled.reason());
    }
    if (!settled.state().isSettled()) {
      throw new CliException(
          ExitCodes.of(io.grpc.Status.Code.DEADLINE_EXCEEDED),
          "version " + settled.version() + " is still " + settled.state() + " after " + wait);
    }
    return 0;
  }

  private UploadResult upload(String tenant) {
    try {
      return send(tenant);
    } catch (IllegalArgumentException e) {
      // The directory cannot be packed: a link, a special file, a path too long for tar.
      throw new CliException(ExitCodes.INPUT, e.getMessage(), e);
    }
  }

  private UploadResult send(String tenant) {
    if (noProgress) {
      return admin().models().upload(tenant, model, directory, UploadProgress.NONE);
    }
    try (UploadProgressBar bar =
        new UploadProgressBar("upload " + model, err(), environment().interactive())) {
      return admin().models().upload(tenant, model, directory, bar);
    }
  }
}
