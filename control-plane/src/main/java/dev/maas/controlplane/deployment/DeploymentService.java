package dev.maas.controlplane.deployment;

import dev.maas.controlplane.audit.AuditLog;
import dev.maas.controlplane.auth.Access;
import dev.maas.controlplane.auth.Principal;
import dev.maas.controlplane.db.Database;
import dev.maas.controlplane.problem.Problem;
import dev.maas.controlplane.quota.QuotaService;
import dev.maas.controlplane.tenant.TenantRepository;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Sets, reads and removes models' deployments, with their checks and audit events. */
@Singleton
public final class DeploymentService {

  private static final String READY = "READY";

  private final Database database;
  private final QuotaService quotas;

  public DeploymentService(Database database, QuotaService quotas) {
    this.database = database;
    this.quotas = quotas;
  }

  /**
   * Deploys a model or replaces its deployment; returns the deployment as stored, defaults filled
   * in, with the replicas placed at that moment (those of the deployment before: placing the new
   * one's comes after).
   *
   * @throws Problem INVALID_ARGUMENT (bad settings), NOT_FOUND (tenant, model or version),
   *     FAILED_PRECONDITION (a version not READY), RESOURCE_EXHAUSTED (max_replicas quota)
   */
  public Status set(Principal caller, Deployment requested) {
    Deployment wanted = DeploymentRules.normalize(requested);
    String tenant = wanted.tenant();
    Access.requireTenant(caller, tenant);
    return database.transaction(
        connection -> {
          // Locking the tenant serializes deployment changes per tenant, so two of them cannot
          // both fit under the replica quota that only one of them fits under.
          lockTenant(connection, tenant);
          long modelId = requireModel(connection, tenant, wanted.model());
          Map<Long, String> states = TenantModels.lockVersionStates(connection, modelId);
          for (long version : wanted.versions()) {
            requireReady(states, version, wanted.model());
          }
          requireReplicaQuota(connection, tenant, modelId, wanted.maxReplicas());
          Deployment before = DeploymentRepository.find(connection, modelId).orElse(null);
          DeploymentRepository.save(connection, modelId, wanted);
          Deployment after = DeploymentRepository.find(connection, modelId).orElseThrow();
          AuditLog.record(
              connection, caller, tenant, "deployment.set", wanted.model(), before, after);
          return new Status(after, DeploymentRepository.replicas(connection, modelId));
        });
  }

  /**
   * The model's deployment and its replicas.
   *
   * @throws Problem NOT_FOUND when the tenant or model is missing or the model is not deployed
   */
  public Status get(Principal caller, String tenant, String model) {
    requireNames(tenant, model);
    Access.requireTenant(caller, tenant);
    return database.transaction(
        connection -> {
          requireTenant(connection, tenant);
          long modelId = requireModel(connection, tenant, model);
          Deployment deployment =
              DeploymentRepository.find(connection, modelId)
                  .orElseThrow(() -> notDeployed(tenant, model));
          return new Status(deployment, DeploymentRepository.replicas(connection, modelId));
        });
  }

  /**
   * Removes the model's deployment, so its replicas are unloaded.
   *
   * @throws Problem NOT_FOUND when the tenant or model is missing or the model is not deployed
   */
  public void delete(Principal caller, String tenant, String model) {
    requireNames(tenant, model);
    Access.requireTenant(caller, tenant);
    database.transaction(
        connection -> {
          lockTenant(connection, tenant);
          long modelId = requireModel(connection, tenant, model);
          Deployment before =
              DeploymentRepository.find(connection, modelId)
                  .orElseThrow(() -> notDeployed(tenant, model));
          DeploymentRepository.delete(connection, modelId);
          AuditLog.record(connection, caller, tenant, "deployment.delete", model, before, null);
          return null;
        });
  }

  private void requireReplicaQuota(
      Connection connection, String tenant, long modelId, int maxReplicas) throws SQLException {
    long limit = quotas.effective(connection, tenant).maxReplicas();
    long others = DeploymentRepository.maxReplicasOfOthers(connection, tenant, modelId);
    if (others + maxReplicas > limit) {
      throw Problem.resourceExhausted(
          "max_replicas "
              + maxReplicas
              + " exceeds the replica quota of tenant '"
              + tenant
              + "': "
              + limit
              + " in all, of which its other deployments reserve "
              + others
              + "; lower max_replicas, or ask the platform operator to raise max_replicas");
    }
  }

  private static void requireReady(Map<Long, String> states, long version, String model) {
    String state = states.get(version);
    if (state == null) {
      throw Problem.notFound("version " + version + " of model '" + model + "' not found");
    }
    if (!READY.equals(state)) {
      throw Problem.failedPrecondition(
          "version "
              + version
              + " is "
              + state
              + "; only READY versions of model '"
              + model
              + "' can be deployed");
    }
  }

  private static void requireNames(String tenant, String model) {
    DeploymentRules.requireName("tenant", tenant);
    DeploymentRules.requireName("model", model);
  }

  private static long requireModel(Connection connection, String tenant, String model)
      throws SQLException {
    return TenantModels.modelId(connection, tenant, model)
        .orElseThrow(
            () -> Problem.notFound("model '" + model + "' not found in tenant '" + tenant + "'"));
  }

  private static void requireTenant(Connection connection, String tenant) throws SQLException {
    if (TenantRepository.find(connection, tenant, false).isEmpty()) {
      throw Problem.notFound(Access.tenantNotFound(tenant));
    }
  }

  private static void lockTenant(Connection connection, String tenant) throws SQLException {
    if (TenantRepository.find(connection, tenant, true).isEmpty()) {
      throw Problem.notFound(Access.tenantNotFound(tenant));
    }
  }

  private static Problem notDeployed(String tenant, String model) {
    return Problem.notFound(
        "model '"
            + model
            + "' of tenant '"
            + tenant
            + "' is not deployed; SetDeployment deploys it");
  }

  /** A deployment with its replicas as the workers last reported them. */
  public record Status(Deployment deployment, List<Replica> replicas) {
    public Status {
      replicas = List.copyOf(replicas);
    }
  }
}
