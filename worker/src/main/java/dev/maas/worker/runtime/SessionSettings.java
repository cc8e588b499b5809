package dev.maas.worker.runtime;

import java.util.Objects;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/**
 * How TensorFlow runs a loaded model: its thread pools and the device it places ops on.
 *
 * @param intraOpThreads threads inside one op, 0 for TensorFlow's default (one per core)
 * @param interOpThreads ops run in parallel, 0 for TensorFlow's default
 * @param device CPU only, or GPU with CPU as fallback for ops without a GPU kernel
 */
public record SessionSettings(int intraOpThreads, int interOpThreads, Device device) {

  /** Where a model's ops run. */
  public enum Device {
    CPU,
    GPU
  }

  public SessionSettings {
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException(
          "thread counts must be >= 0, got " + intraOpThreads + " and " + interOpThreads);
    }
    Objects.requireNonNull(device, "device");
  }

  /** TensorFlow's default thread pools on the build's default device ({@link DeviceDefaults}). */
  public static SessionSettings defaults() {
    return new SessionSettings(0, 0, DeviceDefaults.device());
  }

  /** These settings on another device. */
  public SessionSettings withDevice(Device other) {
    return new SessionSettings(intraOpThreads, interOpThreads, other);
  }

  /** The session configuration TensorFlow takes. */
  ConfigProto toConfigProto() {
    ConfigProto.Builder config =
        ConfigProto.newBuilder()
            .setIntraOpParallelismThreads(intraOpThreads)
            .setInterOpParallelismThreads(interOpThreads);
    if (device == Device.CPU) {
      config.putDeviceCount("GPU", 0);
    } else {
      // Grow GPU memory on demand, so several models (and processes) can share one card; ops
      // without a GPU kernel fall back to the CPU.
      config
          .setAllowSoftPlacement(true)
          .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
    }
    return config.build();
  }
}
