package dev.maas.sdk.admin;

import java.util.Locale;

/** Where a deployment's replicas run. */
public enum Device {
  /** CPU workers (the default). */
  CPU,
  /** GPU workers. */
  GPU;

  /**
   * The device of this name, case-insensitive ({@code cpu}, {@code gpu}).
   *
   * @throws IllegalArgumentException for another name
   */
  public static Device of(String name) {
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown device '" + name + "'; use cpu or gpu", e);
    }
  }
}
