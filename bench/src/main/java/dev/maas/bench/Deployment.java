package dev.maas.bench;

/**
 * One deployment the harness measures: a demo model uploaded under a name of its own, with the
 * batching of one arm.
 *
 * @param model the demo model ({@code lenet} or {@code binary_classifier})
 * @param name the model's name in the bench tenant, such as {@code lenet-off}
 * @param modelId the name the worker serves it under (the {@code maas-model-id} header)
 */
record Deployment(String model, String name, String modelId) {}
