package dev.maas.gateway.auth;

/** The caller presented no usable API key; callers see UNAUTHENTICATED. */
public final class AuthenticationException extends RuntimeException {

  public AuthenticationException(String message) {
    super(message);
  }
}
