package dev.maas.controlplane.deployment;

/** Where a deployment's replicas run; stored by name. */
public enum Device {
  CPU,
  GPU
}
