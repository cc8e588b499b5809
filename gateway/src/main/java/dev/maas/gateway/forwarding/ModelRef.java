package dev.maas.gateway.forwarding;

/**
 * The model a request names, and its id.
 *
 * @param name the model name (field 1), as the caller wrote it
 * @param version the version label (field 2); empty when not given
 * @param id the request id (field 3 of ModelInferRequest); empty when not given
 */
public record ModelRef(String name, String version, String id) {}
