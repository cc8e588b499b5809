package dev.maas.gateway.metering;

import io.grpc.Status;
import java.time.Duration;

/**
 * One finished call as the gateway saw it.
 *
 * @param rpc the rpc's short name, such as {@code ModelInfer}
 * @param tenant the caller's tenant
 * @param model the model's name when it resolved in the tenant, else null
 * @param version the version that was chosen, else 0
 * @param code how the call ended
 * @param bytesIn request bytes
 * @param bytesOut response bytes
 * @param latency arrival to answer
 * @param attempts attempts on workers (0 when none was made)
 * @param billable whether the call passed the quotas and reached routing, so it counts as usage
 */
public record CallRecord(
    String rpc,
    String tenant,
    String model,
    long version,
    Status.Code code,
    long bytesIn,
    long bytesOut,
    Duration latency,
    int attempts,
    boolean billable) {}
