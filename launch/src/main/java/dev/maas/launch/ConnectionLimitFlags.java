package dev.maas.launch;

import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The flags of {@link ConnectionLimits}, mixed into the worker's and the gateway's command line.
 */
public final class ConnectionLimitFlags {

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--max-connection-idle-seconds",
      defaultValue = "300",
      description =
          "Close a client connection that has had no call for this long, with GOAWAY; 0 keeps"
              + " idle connections (default ${DEFAULT-VALUE}).")
  long maxConnectionIdleSeconds;

  @Option(
      names = "--permit-keepalive-seconds",
      defaultValue = "10",
      description =
          "Shortest interval between a client's keepalive pings; a client pinging more often is"
              + " disconnected with GOAWAY ENHANCE_YOUR_CALM (default ${DEFAULT-VALUE}).")
  long permitKeepAliveSeconds;

  /**
   * The limits the flags give.
   *
   * @throws CommandLine.ParameterException when a value is negative
   */
  public ConnectionLimits limits() {
    try {
      return new ConnectionLimits(
          Duration.ofSeconds(maxConnectionIdleSeconds), Duration.ofSeconds(permitKeepAliveSeconds));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          mixee.commandLine(),
          "--max-connection-idle-seconds and --permit-keepalive-seconds must not be negative",
          e);
    }
  }
}
