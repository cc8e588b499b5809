package dev.maas.sdk.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a model is served. Build one to deploy with {@link #builder(String, String, long)}; fields
 * left at 0 take the server's defaults.
 *
 * @param tenant the tenant
 * @param model the model's name
 * @param defaultVersion the version requests without a version run on, unless split
 * @param trafficSplit optional split of requests without a version across versions
 * @param minReplicas replicas that must serve (0: 1)
 * @param maxReplicas replicas that may serve under load (0: minReplicas)
 * @param device where replicas run
 * @param batching dynamic batching on each replica
 * @param rateLimitRps requests per second for this model; 0 means only the tenant's limit
 * @param updateTime when the deployment last changed; null in a deployment not yet set
 * @param replicas the replicas placed on workers when the deployment was read, by version then
 *     worker; empty in a deployment not yet set (the server ignores them)
 */
public record Deployment(
    String tenant,
    String model,
    long defaultVersion,
    List<TrafficShare> trafficSplit,
    int minReplicas,
    int maxReplicas,
    Device device,
    Batching batching,
    double rateLimitRps,
    Instant updateTime,
    List<Replica> replicas) {

  /** Checks and copies the fields. */
  public Deployment {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(model, "model");
    trafficSplit = List.copyOf(trafficSplit);
    device = Objects.requireNonNullElse(device, Device.CPU);
    batching = Objects.requireNonNullElse(batching, Batching.none());
    replicas = replicas == null ? List.of() : List.copyOf(replicas);
  }

  /** A builder of a deployment of {@code version} of a model. */
  public static Builder builder(String tenant, String model, long version) {
    return new Builder(tenant, model, version);
  }

  /** Builds a {@link Deployment}. Not thread-safe. */
  public static final class Builder {
    private final String tenant;
    private final String model;
    private final long version;
    private final List<TrafficShare> split = new ArrayList<>();
    private int minReplicas;
    private int maxReplicas;
    private Device device = Device.CPU;
    private Batching batching = Batching.none();
    private double rateLimitRps;

    private Builder(String tenant, String model, long version) {
      this.tenant = tenant;
      this.model = model;
      this.version = version;
    }

    /** Runs {@code count} replicas (min and max alike). */
    public Builder replicas(int count) {
      return replicas(count, count);
    }

    /** Runs at least {@code min} and at most {@code max} replicas. */
    public Builder replicas(int min, int max) {
      this.minReplicas = min;
      this.maxReplicas = max;
      return this;
    }

    /** Runs on CPU or GPU workers. */
    public Builder device(Device where) {
      this.device = where;
      return this;
    }

    /** Batches requests on each replica. */
    public Builder batching(Batching how) {
      this.batching = how;
      return this;
    }

    /** Gives {@code percent} of the requests without a version to {@code splitVersion}. */
    public Builder split(long splitVersion, int percent) {
      split.add(new TrafficShare(splitVersion, percent));
      return this;
    }

    /** Limits the model's requests per second across the tenant; 0 means no own limit. */
    public Builder rateLimitRps(double rps) {
      this.rateLimitRps = rps;
      return this;
    }

    /** The deployment. */
    public Deployment build() {
      return new Deployment(
          tenant,
          model,
          version,
          split,
          minReplicas,
          maxReplicas,
          device,
          batching,
          rateLimitRps,
          null,
          List.of());
    }
  }
}
