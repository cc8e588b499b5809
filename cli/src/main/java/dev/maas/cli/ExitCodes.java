package dev.maas.cli;

import io.grpc.Status;

/**
 * The CLI's exit codes: 0 on success, the gRPC status code's number when a call failed (5 for
 * NOT_FOUND, 16 for UNAUTHENTICATED, ...), and a few of the CLI's own above 63, as sysexits.h has
 * them. Documented in docs/cli.md.
 */
public final class ExitCodes {

  /** Success. */
  public static final int OK = 0;

  /** An upload ended with the version FAILED (the archive is no valid SavedModel). */
  public static final int VERSION_FAILED = Status.Code.INVALID_ARGUMENT.value();

  /** Wrong command line: an unknown option, a missing argument, a value that does not parse. */
  public static final int USAGE = 64;

  /** A local input cannot be used: a missing or malformed file, a directory that is none. */
  public static final int INPUT = 65;

  /** A bug or an unexpected failure of the CLI itself. */
  public static final int SOFTWARE = 70;

  private ExitCodes() {}

  /** The exit code of a call that failed with {@code code}. */
  public static int of(Status.Code code) {
    return code.value();
  }
}
