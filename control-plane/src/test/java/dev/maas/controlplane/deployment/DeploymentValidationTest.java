package dev.maas.controlplane.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.maas.controlplane.testing.ControlPlaneExtension;
import dev.maas.proto.admin.v1.Batching;
import dev.maas.proto.admin.v1.Deployment;
import dev.maas.proto.admin.v1.DeploymentServiceGrpc;
import dev.maas.proto.admin.v1.SetDeploymentRequest;
import dev.maas.proto.admin.v1.TrafficSplit;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DeploymentValidationTest {

  @RegisterExtension static final ControlPlaneExtension plane = new ControlPlaneExtension();

  static final ModelRows models = new ModelRows(plane);

  @BeforeAll
  static void tenantsAndModels() throws Exception {
    plane.createTenant("acme");
    plane.createTenant("globex");
    // Versions 1..6 of lenet: READY, READY, RETIRED, FAILED, UPLOADING, VALIDATING.
    models.model("acme", "lenet", "READY", "READY", "RETIRED", "FAILED", "UPLOADING", "VALIDATING");
    models.model("globex", "secret-model", "READY");
  }

  private static Deployment.Builder valid() {
    return Deployment.newBuilder().setTenant("acme").setModel("lenet").setDefaultVersion(1);
  }

  private static TrafficSplit split(long version, int percent) {
    return TrafficSplit.newBuilder().setVersion(version).setPercent(percent).build();
  }

  private static Batching.Builder batching() {
    return Batching.newBuilder().setMaxBatchSize(8);
  }

  private static StatusRuntimeException refusal(Deployment deployment) {
    return assertThrows(
        StatusRuntimeException.class,
        () ->
            DeploymentServiceGrpc.newBlockingStub(plane.admin())
                .setDeployment(
                    SetDeploymentRequest.newBuilder().setDeployment(deployment).build()));
  }

  static Stream<Arguments> invalidDeployments() {
    return Stream.of(
        invalid("no model", d -> d.setModel(""), "deployment.model is required"),
        invalid("no tenant", d -> d.setTenant(""), "deployment.tenant is required"),
        invalid("no default version", d -> d.setDefaultVersion(0), "default_version is required"),
        invalid("negative version", d -> d.setDefaultVersion(-2), "got -2"),
        invalid(
            "split not adding up",
            d -> d.addTrafficSplit(split(1, 50)).addTrafficSplit(split(2, 40)),
            "add up to 90; they must add up to exactly 100"),
        invalid(
            "split over 100",
            d -> d.addTrafficSplit(split(1, 60)).addTrafficSplit(split(2, 60)),
            "add up to 120"),
        invalid(
            "percent out of range",
            d -> d.addTrafficSplit(split(1, 101)),
            "percent of version 1 must be 0 to 100, got 101"),
        invalid(
            "negative percent",
            d -> d.addTrafficSplit(split(1, -10)).addTrafficSplit(split(2, 110)),
            "percent of version 1 must be 0 to 100, got -10"),
        invalid(
            "duplicate split version",
            d -> d.addTrafficSplit(split(1, 50)).addTrafficSplit(split(1, 50)),
            "lists version 1 twice"),
        invalid(
            "split version zero",
            d -> d.addTrafficSplit(split(0, 100)),
            "traffic_split versions must be version numbers >= 1, got 0"),
        invalid(
            "negative min replicas",
            d -> d.setMinReplicas(-1),
            "min_replicas must be >= 1 (0 means 1), got -1"),
        invalid(
            "max below min",
            d -> d.setMinReplicas(3).setMaxReplicas(2),
            "max_replicas (2) must be >= min_replicas (3)"),
        invalid("negative max", d -> d.setMaxReplicas(-1), "max_replicas (-1) must be >="),
        invalid("unknown device", d -> d.setDeviceValue(7), "unknown device 7"),
        invalid(
            "negative max batch size",
            d -> d.setBatching(Batching.newBuilder().setMaxBatchSize(-1)),
            "batching.max_batch_size must be >= 0"),
        invalid(
            "preferred size over max",
            d -> d.setBatching(batching().addPreferredBatchSizes(16)),
            "preferred_batch_sizes must lie within 1 and max_batch_size (8), got 16"),
        invalid(
            "preferred size zero",
            d -> d.setBatching(batching().addPreferredBatchSizes(0)),
            "got 0"),
        invalid(
            "preferred sizes with batching off",
            d -> d.setBatching(Batching.newBuilder().addPreferredBatchSizes(4)),
            "max_batch_size (0)"),
        invalid(
            "negative queue size",
            d -> d.setBatching(batching().setMaxQueueSize(-5)),
            "batching.max_queue_size must be >= 1 (0 means 1024), got -5"),
        invalid(
            "negative instance count",
            d -> d.setBatching(batching().setInstanceCount(-1)),
            "batching.instance_count must be >= 1"),
        invalid(
            "negative delay",
            d -> d.setBatching(batching().setMaxQueueDelayMicroseconds(-1)),
            "batching.max_queue_delay_microseconds must be >= 0"),
        invalid("negative rate", d -> d.setRateLimitRps(-1), "rate_limit_rps must be"),
        invalid("NaN rate", d -> d.setRateLimitRps(Double.NaN), "rate_limit_rps must be"),
        invalid(
            "infinite rate",
            d -> d.setRateLimitRps(Double.POSITIVE_INFINITY),
            "rate_limit_rps must be"));
  }

  private static Arguments invalid(
      String name, UnaryOperator<Deployment.Builder> change, String message) {
    return Arguments.of(name, change.apply(valid()).build(), message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidDeployments")
  void invalidSettings_areInvalidArgument_withWhatToFix(
      String name, Deployment deployment, String message) {
    StatusRuntimeException e = refusal(deployment);

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains(message);
  }

  @Test
  void boundaryValues_areAccepted() {
    Deployment accepted =
        DeploymentServiceGrpc.newBlockingStub(plane.admin())
            .setDeployment(
                SetDeploymentRequest.newBuilder()
                    .setDeployment(
                        valid()
                            .addTrafficSplit(split(1, 100))
                            .addTrafficSplit(split(2, 0))
                            .setBatching(
                                batching()
                                    .addPreferredBatchSizes(1)
                                    .addPreferredBatchSizes(8)
                                    .setMaxQueueSize(1)))
                    .build())
            .getDeployment();

    assertThat(accepted.getTrafficSplitCount()).isEqualTo(2);
    assertThat(accepted.getBatching().getPreferredBatchSizesList()).containsExactly(1, 8);
    assertThat(accepted.getBatching().getMaxQueueSize()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 4, 5, 6})
  void defaultVersionNotReady_isFailedPrecondition_namingItsState(int version) {
    StatusRuntimeException e = refusal(valid().setDefaultVersion(version).build());

    String state = new String[] {"RETIRED", "FAILED", "UPLOADING", "VALIDATING"}[version - 3];
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.getStatus().getDescription()).contains("version " + version + " is " + state);
  }

  @Test
  void splitVersionNotReady_isFailedPrecondition() {
    StatusRuntimeException e =
        refusal(valid().addTrafficSplit(split(1, 90)).addTrafficSplit(split(3, 10)).build());

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.getStatus().getDescription()).contains("version 3 is RETIRED");
  }

  @Test
  void missingVersions_areNotFound() {
    StatusRuntimeException missingDefault = refusal(valid().setDefaultVersion(99).build());
    StatusRuntimeException missingSplit =
        refusal(valid().addTrafficSplit(split(1, 50)).addTrafficSplit(split(42, 50)).build());

    assertThat(missingDefault.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(missingDefault.getStatus().getDescription())
        .isEqualTo("version 99 of model 'lenet' not found");
    assertThat(missingSplit.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(missingSplit.getStatus().getDescription()).contains("version 42");
  }

  @Test
  void anotherTenantsModel_isAnsweredLikeAMissingOne() {
    StatusRuntimeException other = refusal(valid().setModel("secret-model").build());
    StatusRuntimeException missing = refusal(valid().setModel("no-such-model").build());

    assertThat(other.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(other.getStatus().getDescription().replace("secret-model", "X"))
        .isEqualTo(missing.getStatus().getDescription().replace("no-such-model", "X"));
  }

  @Test
  void unknownTenant_isNotFound() {
    StatusRuntimeException e = refusal(valid().setTenant("nosuch").build());

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(e.getStatus().getDescription()).isEqualTo("tenant 'nosuch' not found");
  }

  @Test
  void refusedRequests_storeNothing_andAuditNothing() throws Exception {
    long id = models.model("acme", "untouched", "READY", "RETIRED");

    assertThat(refusal(valid().setModel("untouched").setDefaultVersion(2).build()).getStatus())
        .extracting(Status::getCode)
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(
            refusal(valid().setModel("untouched").setMaxReplicas(1000).build())
                .getStatus()
                .getCode())
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

    try (Connection sql = plane.sql();
        ResultSet rows =
            sql.createStatement()
                .executeQuery(
                    "select (select count(*) from deployments where model_id = "
                        + id
                        + "), (select count(*) from audit_events where target = 'untouched')")) {
      rows.next();
      assertThat(rows.getLong(1)).isZero();
      assertThat(rows.getLong(2)).isZero();
    }
  }
}
