package dev.maas.worker.runtime;

import dev.maas.worker.runtime.SessionSettings.Device;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Properties;

/**
 * The device a worker build runs models on by default, read from the class-path resource {@value
 * #RESOURCE} (key {@code device}, value {@code cpu} or {@code gpu}) that the build writes.
 */
public final class DeviceDefaults {

  /** The resource the build fills in; CPU when it is absent. */
  static final String RESOURCE = "/maas-device.properties";

  private DeviceDefaults() {}

  /**
   * The build's default device: CPU when the resource or its key is absent.
   *
   * @throws IllegalStateException when the resource names another device
   */
  public static Device device() {
    try (InputStream in = DeviceDefaults.class.getResourceAsStream(RESOURCE)) {
      return read(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** The device named in these properties; {@code in} may be null (no resource). */
  static Device read(InputStream in) throws IOException {
    if (in == null) {
      return Device.CPU;
    }
    Properties properties = new Properties();
    properties.load(in);
    String value = properties.getProperty("device", "cpu").trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "cpu" -> Device.CPU;
      case "gpu" -> Device.GPU;
      default ->
          throw new IllegalStateException(
              RESOURCE + ": device must be cpu or gpu, got '" + value + "'");
    };
  }
}
