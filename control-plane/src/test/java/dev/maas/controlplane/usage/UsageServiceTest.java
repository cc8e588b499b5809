package dev.maas.controlplane.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.controlplane.grpc.ProtoTime;
import dev.maas.controlplane.testing.ControlPlaneExtension;
import dev.maas.proto.admin.v1.GetUsageRequest;
import dev.maas.proto.admin.v1.Scope;
import dev.maas.proto.admin.v1.UsageRecord;
import dev.maas.proto.admin.v1.UsageServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class UsageServiceTest {

  @RegisterExtension static final ControlPlaneExtension plane = new ControlPlaneExtension();

  static final Instant TEN = Instant.parse("2024-03-01T10:00:00Z");
  static final Instant NOW_HOUR = Instant.now().truncatedTo(ChronoUnit.HOURS);

  static String acmeManage;
  static String acmeInfer;
  static String globexManage;

  @BeforeAll
  static void usageOfTwoTenants() {
    plane.createTenant("acme");
    plane.createTenant("globex");
    acmeManage = plane.createKey("acme", Scope.SCOPE_MANAGE);
    acmeInfer = plane.createKey("acme", Scope.SCOPE_INFER);
    globexManage = plane.createKey("globex", Scope.SCOPE_MANAGE);
    UsageRecorder recorder = plane.context().getBean(UsageRecorder.class);
    recorder.record(
        "fixed",
        "gw",
        List.of(
            entry("acme", "lenet", 1, TEN.plus(Duration.ofHours(2)), 3),
            entry("acme", "affine", 1, TEN.plus(Duration.ofHours(1)), 2),
            entry("acme", "lenet", 1, TEN, 1),
            entry("acme", "lenet", 2, TEN, 10),
            entry("globex", "lenet", 1, TEN, 100)));
    recorder.record(
        "recent",
        "gw",
        List.of(
            entry("acme", "recent", 1, NOW_HOUR, 1),
            entry("acme", "recent", 1, NOW_HOUR.minus(Duration.ofHours(23)), 2),
            entry("acme", "recent", 1, NOW_HOUR.minus(Duration.ofHours(30)), 4)));
  }

  static UsageEntry entry(String tenant, String model, long version, Instant at, long requests) {
    return new UsageEntry(
        tenant, model, version, at, new UsageCounts(requests, 0, requests, 0, 0, 0));
  }

  static GetUsageRequest.Builder fixedRange(String tenant) {
    return GetUsageRequest.newBuilder()
        .setTenant(tenant)
        .setStartTime(ProtoTime.of(TEN))
        .setEndTime(ProtoTime.of(TEN.plus(Duration.ofHours(3))));
  }

  static List<UsageRecord> usage(String credential, GetUsageRequest.Builder request) {
    return UsageServiceGrpc.newBlockingStub(plane.as(credential))
        .getUsage(request.build())
        .getRecordsList();
  }

  static Status statusOf(String credential, GetUsageRequest.Builder request) {
    try {
      usage(credential, request);
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  static String describe(UsageRecord record) {
    return record.getModel()
        + " v"
        + record.getVersion()
        + " +"
        + Duration.between(TEN, ProtoTime.toInstant(record.getHour())).toHours()
        + "h "
        + record.getRequests();
  }

  @Test
  void allModels_oldestFirst_onlyTheTenants() {
    assertThat(usage(acmeManage, fixedRange("acme")))
        .extracting(UsageServiceTest::describe)
        .containsExactly("lenet v1 +0h 1", "lenet v2 +0h 10", "affine v1 +1h 2", "lenet v1 +2h 3");
  }

  @Test
  void modelFilter_keepsOnlyThatModel() {
    assertThat(usage(acmeManage, fixedRange("acme").setModel("lenet")))
        .extracting(UsageServiceTest::describe)
        .containsExactly("lenet v1 +0h 1", "lenet v2 +0h 10", "lenet v1 +2h 3");
    assertThat(usage(acmeManage, fixedRange("acme").setModel("nosuch"))).isEmpty();
  }

  @Test
  void timeRange_includesTheStartHour_andExcludesTheEnd() {
    GetUsageRequest.Builder secondHourOnly =
        GetUsageRequest.newBuilder()
            .setTenant("acme")
            .setStartTime(ProtoTime.of(TEN.plus(Duration.ofMinutes(90))))
            .setEndTime(ProtoTime.of(TEN.plus(Duration.ofHours(2))));

    assertThat(usage(acmeManage, secondHourOnly))
        .extracting(UsageServiceTest::describe)
        .containsExactly("affine v1 +1h 2");
  }

  @Test
  void noRange_meansTheLast24Hours() {
    List<UsageRecord> records = usage(acmeManage, GetUsageRequest.newBuilder().setTenant("acme"));

    assertThat(records).extracting(UsageRecord::getModel).containsOnly("recent");
    assertThat(records).extracting(UsageRecord::getRequests).containsExactly(2L, 1L);
  }

  @Test
  void otherTenantsKey_isNotFound_inferKey_isPermissionDenied() {
    Status other = statusOf(globexManage, fixedRange("acme"));

    assertThat(other.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(other.getDescription()).isEqualTo("tenant 'acme' not found");
    assertThat(statusOf(acmeInfer, fixedRange("acme")).getCode())
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(usage(globexManage, fixedRange("globex")))
        .extracting(UsageServiceTest::describe)
        .containsExactly("lenet v1 +0h 100");
    assertThat(usage(ControlPlaneExtension.ADMIN_TOKEN, fixedRange("acme"))).hasSize(4);
    assertThat(statusOf(ControlPlaneExtension.ADMIN_TOKEN, fixedRange("nosuch")).getCode())
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void badRanges_areInvalidArgument() {
    Status backwards =
        statusOf(
            acmeManage,
            GetUsageRequest.newBuilder()
                .setTenant("acme")
                .setStartTime(ProtoTime.of(TEN))
                .setEndTime(ProtoTime.of(TEN.minusSeconds(1))));
    Status tooLong =
        statusOf(
            acmeManage,
            GetUsageRequest.newBuilder()
                .setTenant("acme")
                .setStartTime(ProtoTime.of(TEN))
                .setEndTime(ProtoTime.of(TEN.plus(Duration.ofDays(32)))));

    assertThat(backwards.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(backwards.getDescription()).contains("must be before end_time");
    assertThat(tooLong.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(tooLong.getDescription()).contains("at most 31 days");
    assertThat(statusOf(acmeManage, GetUsageRequest.newBuilder()).getCode())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }
}
