package dev.maas.gateway.forwarding;

import io.grpc.Status;

/**
 * How a forwarded call ended.
 *
 * @param status OK, the worker's own error, or UNAVAILABLE when no replica could take it
 * @param response the worker's response bytes when OK, else null
 * @param attempts attempts made, retries included
 */
public record ForwardOutcome(Status status, byte[] response, int attempts) {}
