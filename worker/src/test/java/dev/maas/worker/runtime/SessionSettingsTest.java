package dev.maas.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maas.worker.runtime.SessionSettings.Device;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.ConfigProto;

class SessionSettingsTest {

  @Test
  void toConfigProto_onCpu_hidesEveryGpu() {
    ConfigProto config = new SessionSettings(4, 2, Device.CPU).toConfigProto();

    assertThat(config.getDeviceCountMap()).containsEntry("GPU", 0);
    assertThat(config.getIntraOpParallelismThreads()).isEqualTo(4);
    assertThat(config.getInterOpParallelismThreads()).isEqualTo(2);
    assertThat(config.hasGpuOptions()).isFalse();
  }

  @Test
  void toConfigProto_onGpu_growsMemoryOnDemandAndFallsBackToCpu() {
    ConfigProto config = new SessionSettings(0, 0, Device.GPU).toConfigProto();

    assertThat(config.getDeviceCountMap()).doesNotContainKey("GPU");
    assertThat(config.getGpuOptions().getAllowGrowth()).isTrue();
    assertThat(config.getAllowSoftPlacement()).isTrue();
    assertThat(config.getIntraOpParallelismThreads()).isZero();
  }

  @Test
  void constructor_withNegativeThreads_isRejected() {
    assertThatThrownBy(() -> new SessionSettings(-1, 0, Device.CPU))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withDevice_keepsTheThreadCounts() {
    SessionSettings gpu = new SessionSettings(3, 1, Device.CPU).withDevice(Device.GPU);

    assertThat(gpu).isEqualTo(new SessionSettings(3, 1, Device.GPU));
  }

  @Test
  void defaults_useTensorFlowsThreadPools() {
    SessionSettings defaults = SessionSettings.defaults();

    assertThat(defaults.intraOpThreads()).isZero();
    assertThat(defaults.interOpThreads()).isZero();
    assertThat(defaults.device()).isEqualTo(DeviceDefaults.device());
  }
}
