package dev.maas.sdk.internal;

import dev.maas.sdk.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * gRPC service configs (as the JSON-like maps {@code defaultServiceConfig} takes) that retry
 * UNAVAILABLE by a {@link RetryPolicy}.
 */
public final class ServiceConfigs {

  private ServiceConfigs() {}

  /**
   * A config retrying every method of {@code services} by {@code policy}, except the methods in
   * {@code notRetried} ({@code "package.Service/Method"}), such as streaming uploads.
   */
  public static Map<String, Object> retrying(
      RetryPolicy policy, List<String> services, List<String> notRetried) {
    List<Object> methodConfigs = new ArrayList<>();
    if (policy.maxAttempts() > 1) {
      List<Object> names = new ArrayList<>();
      for (String service : services) {
        names.add(Map.of("service", service));
      }
      Map<String, Object> retry = new LinkedHashMap<>();
      retry.put("maxAttempts", (double) policy.maxAttempts());
      retry.put("initialBackoff", seconds(policy.initialBackoff()));
      retry.put("maxBackoff", seconds(policy.maxBackoff()));
      retry.put("backoffMultiplier", policy.backoffMultiplier());
      retry.put("retryableStatusCodes", List.of("UNAVAILABLE"));
      methodConfigs.add(Map.of("name", names, "retryPolicy", retry));
    }
    if (!notRetried.isEmpty()) {
      List<Object> names = new ArrayList<>();
      for (String method : notRetried) {
        int slash = method.indexOf('/');
        names.add(
            Map.of("service", method.substring(0, slash), "method", method.substring(slash + 1)));
      }
      methodConfigs.add(Map.of("name", names));
    }
    return Map.of("methodConfig", methodConfigs);
  }

  /** A duration as the service config writes it: {@code "0.100000000s"}. */
  static String seconds(Duration duration) {
    return duration.getSeconds() + "." + String.format("%09d", duration.getNano()) + "s";
  }
}
