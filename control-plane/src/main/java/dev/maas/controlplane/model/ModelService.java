package dev.maas.controlplane.model;

import dev.maas.controlplane.artifact.ArtifactCatalog;
import dev.maas.controlplane.audit.AuditLog;
import dev.maas.controlplane.auth.Access;
import dev.maas.controlplane.auth.Principal;
import dev.maas.controlplane.db.Database;
import dev.maas.controlplane.deployment.Deployment;
import dev.maas.controlplane.deployment.DeploymentRepository;
import dev.maas.controlplane.deployment.Replica;
import dev.maas.controlplane.problem.Problem;
import dev.maas.controlplane.quota.QuotaService;
import dev.maas.controlplane.tenant.TenantRepository;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates, reads, lists and deletes models, with their audit events. */
@Singleton
public final class ModelService {

  /** Model names: unique per tenant, safe in URLs, file names and metric labels. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  private static final Logger log = LoggerFactory.getLogger(ModelService.class);

  private final Database database;
  private final QuotaService quotas;
  private final ArtifactCatalog artifacts;

  public ModelService(Database database, QuotaService quotas, ArtifactCatalog artifacts) {
    this.database = database;
    this.quotas = quotas;
    this.artifacts = artifacts;
  }

  /**
   * Creates a model.
   *
   * @throws Problem INVALID_ARGUMENT for a bad name, ALREADY_EXISTS for a taken one,
   *     RESOURCE_EXHAUSTED when the tenant has as many models as its max_models quota allows
   */
  public Model create(Principal caller, String tenant, String name, String description) {
    Access.requireTenant(caller, tenant);
    if (!NAME.matcher(name).matches()) {
      throw Problem.invalid(
          "model name '"
              + name
              + "' is invalid: use 1-128 letters, digits, '_', '-' and '.',"
              + " starting with a letter or digit");
    }
    return database.transaction(
        connection -> {
          if (!ModelRepository.lockTenant(connection, tenant)) {
            throw Problem.notFound(Access.tenantNotFound(tenant));
          }
          if (ModelRepository.find(connection, tenant, name, false).isPresent()) {
            throw Problem.alreadyExists(
                "model '" + name + "' already exists in tenant '" + tenant + "'");
          }
          long max = quotas.effective(connection, tenant).maxModels();
          long count = ModelRepository.count(connection, tenant);
          if (count >= max) {
            throw Problem.resourceExhausted(
                "tenant '"
                    + tenant
                    + "' has "
                    + count
                    + " models, as many as its max_models quota ("
                    + max
                    + ") allows; delete one or raise the quota");
          }
          Model created = ModelRepository.insert(connection, tenant, name, description);
          AuditLog.record(connection, caller, tenant, "model.create", name, null, created);
          return created;
        });
  }

  /** The model with its versions, lowest first, and its deployment if it has one. */
  public Details get(Principal caller, String tenant, String name) {
    Access.requireTenant(caller, tenant);
    return database.transaction(
        connection -> {
          Model model = requireModel(connection, tenant, name, false);
          return new Details(
              model,
              VersionRepository.list(connection, model.id()),
              DeploymentRepository.find(connection, model.id()),
              DeploymentRepository.replicas(connection, model.id()));
        });
  }

  /** The tenant's models, by name. */
  public List<Model> list(Principal caller, String tenant) {
    Access.requireTenant(caller, tenant);
    return database.transaction(
        connection -> {
          if (TenantRepository.find(connection, tenant, false).isEmpty()) {
            throw Problem.notFound(Access.tenantNotFound(tenant));
          }
          return ModelRepository.list(connection, tenant);
        });
  }

  /**
   * Deletes a model with its versions, then the tenant's artifacts no version uses any more.
   *
   * @throws Problem FAILED_PRECONDITION while the model is deployed
   */
  public void delete(Principal caller, String tenant, String name) {
    Access.requireTenant(caller, tenant);
    database.transaction(
        connection -> {
          Model model = requireModel(connection, tenant, name, true);
          if (ModelRepository.isDeployed(connection, model.id())) {
            throw Problem.failedPrecondition(
                "model '"
                    + name
                    + "' of tenant '"
                    + tenant
                    + "' is deployed; delete its deployment first");
          }
          ModelRepository.delete(connection, model.id());
          AuditLog.record(connection, caller, tenant, "model.delete", name, model, null);
          return null;
        });
    try {
      artifacts.collectGarbage(tenant);
    } catch (RuntimeException e) {
      // The model is gone either way; the next deletion in the tenant collects what is left.
      log.warn("collecting unused artifacts of tenant {} failed", tenant, e);
    }
  }

  /**
   * The tenant's model of this name, for use inside a transaction.
   *
   * @throws Problem NOT_FOUND, worded as for a missing tenant when the tenant does not exist
   */
  public static Model requireModel(
      Connection connection, String tenant, String name, boolean forUpdate) throws SQLException {
    Optional<Model> model = ModelRepository.find(connection, tenant, name, forUpdate);
    if (model.isPresent()) {
      return model.get();
    }
    if (TenantRepository.find(connection, tenant, false).isEmpty()) {
      throw Problem.notFound(Access.tenantNotFound(tenant));
    }
    throw Problem.notFound("model '" + name + "' not found in tenant '" + tenant + "'");
  }

  /**
   * A model and its versions.
   *
   * @param versions lowest first
   * @param deployment how the model is served, if it is deployed
   */
  public record Details(
      Model model,
      List<ModelVersion> versions,
      Optional<Deployment> deployment,
      List<Replica> replicas) {
    public Details {
      versions = List.copyOf(versions);
      replicas = List.copyOf(replicas);
    }
  }
}
