package dev.maas.controlplane.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maas.controlplane.testing.ControlPlaneExtension;
import dev.maas.proto.admin.v1.AuditEvent;
import dev.maas.proto.admin.v1.AuditServiceGrpc;
import dev.maas.proto.admin.v1.Batching;
import dev.maas.proto.admin.v1.DeleteDeploymentRequest;
import dev.maas.proto.admin.v1.Deployment;
import dev.maas.proto.admin.v1.DeploymentServiceGrpc;
import dev.maas.proto.admin.v1.Device;
import dev.maas.proto.admin.v1.GetDeploymentRequest;
import dev.maas.proto.admin.v1.ListAuditEventsRequest;
import dev.maas.proto.admin.v1.Quota;
import dev.maas.proto.admin.v1.QuotaServiceGrpc;
import dev.maas.proto.admin.v1.Scope;
import dev.maas.proto.admin.v1.SetDeploymentRequest;
import dev.maas.proto.admin.v1.SetQuotaRequest;
import dev.maas.proto.admin.v1.TrafficSplit;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DeploymentLifecycleTest {

  @RegisterExtension static final ControlPlaneExtension plane = new ControlPlaneExtension();

  static final ModelRows models = new ModelRows(plane);
  static String acmeManage;

  @BeforeAll
  static void tenantsAndModels() throws Exception {
    plane.createTenant("acme");
    plane.createTenant("quotaco");
    acmeManage = plane.createKey("acme", Scope.SCOPE_MANAGE);
    models.model("acme", "lenet", "READY", "READY", "READY");
    models.model("acme", "affine", "READY");
    models.model("acme", "churn", "READY", "READY");
    for (String name : List.of("a", "b", "c")) {
      models.model("quotaco", name, "READY");
    }
  }

  private static DeploymentServiceGrpc.DeploymentServiceBlockingStub deployments(
      String credential) {
    return DeploymentServiceGrpc.newBlockingStub(plane.as(credential));
  }

  private static Deployment set(String credential, Deployment deployment) {
    return deployments(credential)
        .setDeployment(SetDeploymentRequest.newBuilder().setDeployment(deployment).build())
        .getDeployment();
  }

  private static Deployment get(String tenant, String model) {
    return deployments(ControlPlaneExtension.ADMIN_TOKEN)
        .getDeployment(GetDeploymentRequest.newBuilder().setTenant(tenant).setModel(model).build())
        .getDeployment();
  }

  private static Deployment.Builder minimal(String tenant, String model, long version) {
    return Deployment.newBuilder().setTenant(tenant).setModel(model).setDefaultVersion(version);
  }

  private static List<AuditEvent> auditOf(String tenant) {
    return AuditServiceGrpc.newBlockingStub(plane.admin())
        .listAuditEvents(ListAuditEventsRequest.newBuilder().setTenant(tenant).build())
        .getEventsList();
  }

  @Test
  void minimalDeployment_getsDefaults_andReadsBack() {
    Deployment stored = set(acmeManage, minimal("acme", "affine", 1).build());

    assertThat(stored.getTenant()).isEqualTo("acme");
    assertThat(stored.getModel()).isEqualTo("affine");
    assertThat(stored.getDefaultVersion()).isEqualTo(1);
    assertThat(stored.getTrafficSplitList()).isEmpty();
    assertThat(stored.getMinReplicas()).isEqualTo(1);
    assertThat(stored.getMaxReplicas()).isEqualTo(1);
    assertThat(stored.getDevice()).isEqualTo(Device.DEVICE_CPU);
    assertThat(stored.getBatching())
        .isEqualTo(
            Batching.newBuilder()
                .setMaxBatchSize(0)
                .setMaxQueueSize(1024)
                .setInstanceCount(1)
                .build());
    assertThat(stored.getRateLimitRps()).isZero();
    assertThat(stored.hasUpdateTime()).isTrue();
    assertThat(get("acme", "affine")).isEqualTo(stored);
  }

  @Test
  void repositoryFind_returnsTheStoredDeployment_forOtherFeatures() throws Exception {
    long id = models.model("acme", "lookup", "READY", "READY");
    set(acmeManage, minimal("acme", "lookup", 2).setMaxReplicas(2).build());

    try (Connection sql = plane.sql()) {
      dev.maas.controlplane.deployment.Deployment found =
          DeploymentRepository.find(sql, id).orElseThrow();
      assertThat(found.tenant()).isEqualTo("acme");
      assertThat(found.model()).isEqualTo("lookup");
      assertThat(found.defaultVersion()).isEqualTo(2);
      assertThat(found.maxReplicas()).isEqualTo(2);
      assertThat(found.updatedAt()).isNotNull();
      assertThat(DeploymentMapper.toProto(found)).isEqualTo(get("acme", "lookup"));
      assertThat(DeploymentRepository.find(sql, id + 1000)).isEmpty();
    }
  }

  @Test
  void fullDeployment_isStoredAsGiven_inTheJsonTheClusterReads() throws Exception {
    Deployment wanted =
        minimal("acme", "lenet", 2)
            .addTrafficSplit(TrafficSplit.newBuilder().setVersion(2).setPercent(70))
            .addTrafficSplit(TrafficSplit.newBuilder().setVersion(3).setPercent(30))
            .setMinReplicas(2)
            .setMaxReplicas(3)
            .setDevice(Device.DEVICE_GPU)
            .setBatching(
                Batching.newBuilder()
                    .setMaxBatchSize(8)
                    .setMaxQueueDelayMicroseconds(500)
                    .addPreferredBatchSizes(4)
                    .addPreferredBatchSizes(8)
                    .setMaxQueueSize(64)
                    .setInstanceCount(2))
            .setRateLimitRps(50)
            .build();

    Deployment stored = set(ControlPlaneExtension.ADMIN_TOKEN, wanted);

    assertThat(stored.toBuilder().clearUpdateTime().build()).isEqualTo(wanted);
    assertThat(get("acme", "lenet")).isEqualTo(stored);
    try (Connection sql = plane.sql();
        PreparedStatement select =
            sql.prepareStatement(
                "select d.traffic_split = ?::jsonb, d.batching = ?::jsonb, d.device"
                    + " from deployments d join models m on m.id = d.model_id"
                    + " where m.name = 'lenet'")) {
      select.setString(1, "[{\"version\": 2, \"percent\": 70}, {\"version\": 3, \"percent\": 30}]");
      select.setString(
          2,
          "{\"max_batch_size\": 8, \"max_queue_delay_microseconds\": 500,"
              + " \"preferred_batch_sizes\": [4, 8], \"max_queue_size\": 64,"
              + " \"instance_count\": 2}");
      try (ResultSet rows = select.executeQuery()) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getBoolean(1)).as("traffic_split as stored").isTrue();
        assertThat(rows.getBoolean(2)).as("batching as stored").isTrue();
        assertThat(rows.getString(3)).isEqualTo("GPU");
      }
    }
  }

  @Test
  void settingAgain_replacesTheDeployment_andAuditsBeforeAndAfter() {
    set(acmeManage, minimal("acme", "churn", 1).setMaxReplicas(2).build());
    Deployment changed = set(acmeManage, minimal("acme", "churn", 2).build());

    assertThat(changed.getDefaultVersion()).isEqualTo(2);
    assertThat(changed.getMaxReplicas()).isEqualTo(1);
    assertThat(get("acme", "churn")).isEqualTo(changed);
    List<AuditEvent> events =
        auditOf("acme").stream()
            .filter(e -> e.getAction().equals("deployment.set") && e.getTarget().equals("churn"))
            .toList();
    assertThat(events).hasSize(2);
    AuditEvent latest = events.get(0);
    assertThat(latest.getActor()).startsWith("key:");
    assertThat(latest.getBeforeJson()).contains("\"defaultVersion\":1", "\"maxReplicas\":2");
    assertThat(latest.getAfterJson()).contains("\"defaultVersion\":2", "\"maxReplicas\":1");
    assertThat(events.get(1).getBeforeJson()).isEmpty();
    assertThat(events.get(1).getAfterJson()).contains("\"model\":\"churn\"");
  }

  @Test
  void delete_removesTheDeployment_andIsAudited() throws Exception {
    long id = models.model("acme", "doomed", "READY");
    set(acmeManage, minimal("acme", "doomed", 1).build());

    deployments(acmeManage)
        .deleteDeployment(
            DeleteDeploymentRequest.newBuilder().setTenant("acme").setModel("doomed").build());

    assertThatThrownBy(() -> get("acme", "doomed"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription()).contains("not deployed");
            });
    try (Connection sql = plane.sql()) {
      assertThat(DeploymentRepository.find(sql, id)).isEmpty();
    }
    AuditEvent deleted =
        auditOf("acme").stream()
            .filter(e -> e.getAction().equals("deployment.delete"))
            .findFirst()
            .orElseThrow();
    assertThat(deleted.getTarget()).isEqualTo("doomed");
    assertThat(deleted.getBeforeJson()).contains("\"model\":\"doomed\"");
    assertThat(deleted.getAfterJson()).isEmpty();
    assertThat(
            codeOf(
                () ->
                    deployments(acmeManage)
                        .deleteDeployment(
                            DeleteDeploymentRequest.newBuilder()
                                .setTenant("acme")
                                .setModel("doomed")
                                .build())))
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void maxReplicasQuota_countsTheTenantsOtherDeployments() {
    QuotaServiceGrpc.newBlockingStub(plane.admin())
        .setQuota(
            SetQuotaRequest.newBuilder()
                .setTenant("quotaco")
                .setQuota(Quota.newBuilder().setMaxReplicas(5))
                .build());
    set(ControlPlaneExtension.ADMIN_TOKEN, minimal("quotaco", "a", 1).setMaxReplicas(3).build());

    assertThatThrownBy(
            () ->
                set(
                    ControlPlaneExtension.ADMIN_TOKEN,
                    minimal("quotaco", "b", 1).setMaxReplicas(3).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(e.getStatus().getDescription())
                  .contains("max_replicas 3", "quotaco", "5", "reserve 3");
            });
    set(ControlPlaneExtension.ADMIN_TOKEN, minimal("quotaco", "b", 1).setMaxReplicas(2).build());
    // Changing a deployment counts its new max_replicas, not the old one as well.
    set(ControlPlaneExtension.ADMIN_TOKEN, minimal("quotaco", "a", 1).setMaxReplicas(3).build());
    assertThat(
            codeOf(
                () ->
                    set(
                        ControlPlaneExtension.ADMIN_TOKEN,
                        minimal("quotaco", "a", 1).setMaxReplicas(4).build())))
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(
            codeOf(
                () ->
                    set(
                        ControlPlaneExtension.ADMIN_TOKEN,
                        minimal("quotaco", "c", 1).setMinReplicas(1).build())))
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(get("quotaco", "a").getMaxReplicas()).isEqualTo(3);
  }

  private static Status.Code codeOf(Runnable call) {
    try {
      call.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }
}
