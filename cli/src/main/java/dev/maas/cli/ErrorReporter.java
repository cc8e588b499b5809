package dev.maas.cli;

import dev.maas.sdk.MaasException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on standard error and an exit code (see {@link ExitCodes}): a
 * failed call exits with its gRPC code, a bad command line with 64, a bad local input with 65.
 * Stack traces only with {@code --debug}. The one place the CLI maps errors.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {

  @Override
  public int handleExecutionException(
      Exception exception, CommandLine command, ParseResult parseResult) {
    PrintWriter err = command.getErr();
    int code;
    String message;
    if (exception instanceof MaasException maas) {
      code = ExitCodes.of(maas.code());
      message = maas.getMessage();
      if (maas.code() == io.grpc.Status.Code.UNAVAILABLE
          && command.getCommand() instanceof CliCommand cli
          && !cli.targets().isEmpty()) {
        message += " (calling " + String.join(", ", cli.targets()) + ")";
      }
    } else if (exception instanceof CliException cli) {
      code = cli.exitCode();
      message = cli.getMessage();
    } else if (exception instanceof IllegalArgumentException) {
      code = ExitCodes.USAGE;
      message = exception.getMessage();
    } else if (exception instanceof UncheckedIOException
        || exception instanceof java.io.IOException) {
      code = ExitCodes.INPUT;
      Throwable io = exception instanceof UncheckedIOException u ? u.getCause() : exception;
      message =
          io instanceof NoSuchFileException missing
              ? "no such file: " + missing.getFile()
              : exception.getMessage();
    } else {
      code = ExitCodes.SOFTWARE;
      message = "unexpected " + exception;
    }
    err.println("error: " + message);
    if (command.getCommand() instanceof CliCommand cli && cli.debug()) {
      exception.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  @Override
  public int handleParseException(ParameterException exception, String[] args) {
    CommandLine command = exception.getCommandLine();
    PrintWriter err = command.getErr();
    err.println(
        "error: "
            + exception.getMessage()
            + " (see: "
            + command.getCommandSpec().qualifiedName()
            + " --help)");
    err.flush();
    return ExitCodes.USAGE;
  }
}
