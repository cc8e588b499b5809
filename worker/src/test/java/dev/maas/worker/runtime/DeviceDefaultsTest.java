package dev.maas.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maas.worker.runtime.SessionSettings.Device;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeviceDefaultsTest {

  @Test
  void read_withoutResource_isCpu() throws IOException {
    assertThat(DeviceDefaults.read(null)).isEqualTo(Device.CPU);
  }

  @Test
  void read_withoutDeviceKey_isCpu() throws IOException {
    assertThat(DeviceDefaults.read(properties("other=1"))).isEqualTo(Device.CPU);
  }

  @Test
  void read_ofGpuInAnyCase_isGpu() throws IOException {
    assertThat(DeviceDefaults.read(properties("device = GPU "))).isEqualTo(Device.GPU);
  }

  @Test
  void read_ofCpu_isCpu() throws IOException {
    assertThat(DeviceDefaults.read(properties("device=cpu"))).isEqualTo(Device.CPU);
  }

  @Test
  void read_ofUnfilteredPlaceholder_failsNamingTheValue() {
    assertThatThrownBy(() -> DeviceDefaults.read(properties("device=${maas.device}")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'${maas.device}'");
  }

  private static InputStream properties(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
  }
}
