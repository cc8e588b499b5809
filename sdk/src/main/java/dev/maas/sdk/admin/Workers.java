package dev.maas.sdk.admin;

import dev.maas.proto.admin.v1.ListWorkersRequest;
import dev.maas.proto.admin.v1.WorkerServiceGrpc;
import dev.maas.sdk.internal.AdminCalls;
import dev.maas.sdk.internal.Timestamps;
import java.util.List;

/** The cluster's workers, as operators see them (admin token only). */
public final class Workers {

  private final AdminCalls calls;

  /** Internal: made by {@link dev.maas.sdk.MaasAdminClient#workers()}. */
  public Workers(AdminCalls calls) {
    this.calls = calls;
  }

  /** The workers, by id. */
  public List<WorkerInfo> list() {
    return calls.call(
        () ->
            calls
                .stub(WorkerServiceGrpc::newBlockingStub)
                .listWorkers(ListWorkersRequest.getDefaultInstance())
                .getWorkersList()
                .stream()
                .map(
                    w ->
                        new WorkerInfo(
                            w.getId(),
                            w.getAddress(),
                            w.getDevice() == dev.maas.proto.admin.v1.Device.DEVICE_GPU
                                ? Device.GPU
                                : Device.CPU,
                            w.getSlots(),
                            w.getUsedSlots(),
                            Timestamps.toInstant(
                                w.hasLastHeartbeatTime(), w.getLastHeartbeatTime()),
                            w.getHealthy(),
                            w.getLabelsMap()))
                .toList());
  }
}
