package dev.maas.worker.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The worker's cluster-mode flags, mixed into its command line. {@code --control-plane} turns
 * cluster mode on; the token comes from {@code MAAS_CLUSTER_TOKEN} or {@code --cluster-token-file},
 * never from a flag, so it does not show in a process listing.
 */
public final class ClusterFlags {

  /** The environment variable holding the cluster token. */
  public static final String TOKEN_VARIABLE = "MAAS_CLUSTER_TOKEN";

  @Option(
      names = "--control-plane",
      paramLabel = "HOST:PORT",
      description =
          "Cluster mode: take models from this control plane's assignments instead of a model"
              + " repository.")
  String controlPlane;

  @Option(
      names = "--advertise-address",
      paramLabel = "HOST:PORT",
      defaultValue = "",
      description = "Cluster mode: the address gateways dial (default: <hostname>:<port>).")
  String advertiseAddress;

  @Option(
      names = "--worker-id",
      defaultValue = "",
      description = "Cluster mode: the id to register under (default: the host name).")
  String workerId;

  @Option(
      names = "--slots",
      defaultValue = "" + ClusterOptions.DEFAULT_SLOTS,
      description = "Cluster mode: model replicas the worker may hold (default ${DEFAULT-VALUE}).")
  int slots;

  @Option(
      names = "--cache-dir",
      defaultValue = "worker-cache",
      description =
          "Cluster mode: where assigned models are kept, under repository/ (default"
              + " ${DEFAULT-VALUE}).")
  Path cacheDir;

  @Option(
      names = "--cluster-token-file",
      paramLabel = "FILE",
      description = "Cluster mode: a file holding the cluster token (else " + TOKEN_VARIABLE + ").")
  Path clusterTokenFile;

  /** Whether the worker runs in cluster mode. */
  public boolean enabled() {
    return controlPlane != null && !controlPlane.isBlank();
  }

  /** The model repository directory the worker keeps its assigned models in. */
  public Path repositoryDirectory() {
    return cacheDir.resolve("repository");
  }

  /**
   * The cluster options the flags and {@code environment} give.
   *
   * @throws IllegalArgumentException with a message for the user when the token is missing,
   *     unreadable or given twice, or a value is invalid
   */
  public ClusterOptions toOptions(Map<String, String> environment) {
    return new ClusterOptions(
        controlPlane,
        advertiseAddress,
        workerId.isBlank() ? ClusterOptions.localHostName() : workerId,
        slots,
        token(environment));
  }

  private ClusterToken token(Map<String, String> environment) {
    String fromEnvironment = environment.get(TOKEN_VARIABLE);
    boolean inEnvironment = fromEnvironment != null && !fromEnvironment.isBlank();
    if (clusterTokenFile != null && inEnvironment) {
      throw new IllegalArgumentException(
          "the cluster token is given twice: set either "
              + TOKEN_VARIABLE
              + " or --cluster-token-file");
    }
    if (clusterTokenFile != null) {
      try {
        return ClusterToken.of(Files.readString(clusterTokenFile).strip());
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot read the cluster token file " + clusterTokenFile + ": " + e, e);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "the cluster token file " + clusterTokenFile + " is empty", e);
      }
    }
    if (!inEnvironment) {
      throw new IllegalArgumentException(
          "cluster mode needs the cluster token: set "
              + TOKEN_VARIABLE
              + " or --cluster-token-file");
    }
    return ClusterToken.of(fromEnvironment.strip());
  }
}
