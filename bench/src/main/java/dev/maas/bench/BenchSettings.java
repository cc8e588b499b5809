package dev.maas.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a run of the harness is set up.
 *
 * @param workDir logs, the control plane's database and the exported models
 * @param workerJar the worker's runnable jar
 * @param gatewayJar the gateway's runnable jar
 * @param controlPlaneJar the control plane's runnable jar
 * @param serviceJvmFlags JVM flags of the three service processes
 * @param jfrDir where each service process records a flight recording, or null for none
 * @param intraOpThreads TensorFlow's intra-op threads in arm A and the worker (0: TF's default)
 * @param interOpThreads TensorFlow's inter-op threads in arm A and the worker (0: TF's default)
 * @param warmup unmeasured load before each measurement point
 * @param window one measurement window
 * @param maxWindows windows after which a point that never settled is reported unstable
 */
record BenchSettings(
    Path workDir,
    Path workerJar,
    Path gatewayJar,
    Path controlPlaneJar,
    List<String> serviceJvmFlags,
    Path jfrDir,
    int intraOpThreads,
    int interOpThreads,
    Duration warmup,
    Duration window,
    int maxWindows) {

  BenchSettings {
    serviceJvmFlags = List.copyOf(serviceJvmFlags);
    if (maxWindows < 3) {
      throw new IllegalArgumentException("--max-windows must be at least 3, got " + maxWindows);
    }
  }

  /** The JVM flags of the service process {@code name}, with its flight recording if asked. */
  List<String> jvmFlagsOf(String name) {
    List<String> flags = new ArrayList<>(serviceJvmFlags);
    if (jfrDir != null) {
      flags.add(
          "-XX:StartFlightRecording=settings=profile,filename="
              + jfrDir.resolve(name + ".jfr")
              + ",dumponexit=true");
    }
    return flags;
  }
}
