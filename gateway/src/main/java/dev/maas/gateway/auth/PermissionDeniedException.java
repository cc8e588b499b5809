package dev.maas.gateway.auth;

/**
 * The key is valid but may not do this (no scope, suspended tenant); callers see PERMISSION_DENIED.
 */
public final class PermissionDeniedException extends RuntimeException {

  public PermissionDeniedException(String message) {
    super(message);
  }
}
