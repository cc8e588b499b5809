package dev.maas.controlplane.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.controlplane.testing.ControlPlaneExtension;
import dev.maas.proto.admin.v1.AuditEvent;
import dev.maas.proto.admin.v1.AuditServiceGrpc;
import dev.maas.proto.admin.v1.ListAuditEventsRequest;
import dev.maas.proto.admin.v1.Scope;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AuditEventsTest {

  @RegisterExtension static final ControlPlaneExtension plane = new ControlPlaneExtension();

  static String acmeManage;
  static String acmeInfer;
  static String globexManage;

  @BeforeAll
  static void tenantsKeysAndEvents() throws Exception {
    plane.createTenant("acme");
    plane.createTenant("globex");
    plane.createTenant("busy");
    acmeManage = plane.createKey("acme", Scope.SCOPE_MANAGE);
    acmeInfer = plane.createKey("acme", Scope.SCOPE_INFER);
    globexManage = plane.createKey("globex", Scope.SCOPE_MANAGE);
    try (Connection sql = plane.sql();
        PreparedStatement insert =
            sql.prepareStatement(
                "insert into audit_events (actor, tenant, action, target)"
                    + " select 'admin', 'busy', 'test.event', 'e' || n"
                    + " from generate_series(1, 1200) n order by n")) {
      insert.executeUpdate();
    }
    try (Connection sql = plane.sql();
        PreparedStatement insert =
            sql.prepareStatement(
                "insert into audit_events (actor, tenant, action, target)"
                    + " values ('admin', '', 'platform.change', 'everything')")) {
      insert.executeUpdate();
    }
  }

  static List<AuditEvent> events(String credential, String tenant, int limit) {
    return AuditServiceGrpc.newBlockingStub(plane.as(credential))
        .listAuditEvents(
            ListAuditEventsRequest.newBuilder().setTenant(tenant).setLimit(limit).build())
        .getEventsList();
  }

  static Status statusOf(String credential, String tenant, int limit) {
    try {
      events(credential, tenant, limit);
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  @Test
  void tenantEvents_newestFirst_withWhoWhatAndWhen() {
    List<AuditEvent> events = events(acmeManage, "acme", 0);

    assertThat(events).extracting(AuditEvent::getTenant).containsOnly("acme");
    assertThat(events)
        .extracting(AuditEvent::getAction)
        .containsExactly("key.create", "key.create", "tenant.create");
    assertThat(events).isSortedAccordingTo(Comparator.comparingLong(AuditEvent::getId).reversed());
    AuditEvent created = events.get(2);
    assertThat(created.getActor()).isEqualTo("admin");
    assertThat(created.getTarget()).isEqualTo("acme");
    assertThat(created.getBeforeJson()).isEmpty();
    assertThat(created.getAfterJson()).contains("\"name\":\"acme\"");
    assertThat(created.hasTime()).isTrue();
    assertThat(created.getTime().getSeconds()).isPositive();
  }

  @Test
  void limit_defaultsTo100_andIsCappedAt1000() {
    List<AuditEvent> five = events(ControlPlaneExtension.ADMIN_TOKEN, "busy", 5);

    assertThat(five)
        .extracting(AuditEvent::getTarget)
        .containsExactly("e1200", "e1199", "e1198", "e1197", "e1196");
    assertThat(events(ControlPlaneExtension.ADMIN_TOKEN, "busy", 0)).hasSize(100);
    assertThat(events(ControlPlaneExtension.ADMIN_TOKEN, "busy", 5000)).hasSize(1000);
    assertThat(events(ControlPlaneExtension.ADMIN_TOKEN, "busy", 1000)).hasSize(1000);
    Status negative = statusOf(ControlPlaneExtension.ADMIN_TOKEN, "busy", -1);
    assertThat(negative.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(negative.getDescription()).contains("limit must be >= 0");
  }

  @Test
  void manageKey_seesOnlyItsOwnTenant() {
    Status other = statusOf(acmeManage, "globex", 0);

    assertThat(other.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(other.getDescription()).isEqualTo("tenant 'globex' not found");
    assertThat(events(globexManage, "globex", 0))
        .extracting(AuditEvent::getTenant)
        .containsOnly("globex")
        .isNotEmpty();
  }

  @Test
  void everyTenant_isForTheAdminOnly() {
    Status asKey = statusOf(acmeManage, "", 0);
    List<AuditEvent> all = events(ControlPlaneExtension.ADMIN_TOKEN, "", 1000);

    assertThat(asKey.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(asKey.getDescription()).contains("admin");
    assertThat(all.get(0).getAction()).isEqualTo("platform.change");
    assertThat(all.get(0).getTenant()).isEmpty();
    assertThat(all).isSortedAccordingTo(Comparator.comparingLong(AuditEvent::getId).reversed());
    assertThat(all.get(1).getTenant()).isEqualTo("busy");
    assertThat(all).hasSize(1000);
    assertThat(events(ControlPlaneExtension.ADMIN_TOKEN, "acme", 0)).hasSize(3);
  }

  @Test
  void inferKey_isPermissionDenied() {
    assertThat(statusOf(acmeInfer, "acme", 0).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
  }
}
