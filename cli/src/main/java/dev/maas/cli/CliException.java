package dev.maas.cli;

/** A failure the CLI reports as one line and exits with {@link #exitCode()}. */
public final class CliException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  /** A failure with the message to print and the exit code. */
  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /** A failure with the message to print, the exit code and its cause (shown with --debug). */
  public CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** A local input that cannot be used. */
  public static CliException input(String message) {
    return new CliException(ExitCodes.INPUT, message);
  }

  /** A command line that asks for something impossible. */
  public static CliException usage(String message) {
    return new CliException(ExitCodes.USAGE, message);
  }

  /** The code to exit with. */
  public int exitCode() {
    return exitCode;
  }
}
