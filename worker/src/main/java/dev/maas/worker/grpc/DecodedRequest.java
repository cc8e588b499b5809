package dev.maas.worker.grpc;

import dev.maas.worker.tensor.HostTensor;
import java.util.List;

/**
 * An inference request checked against a model version's signature.
 *
 * @param inputs the inputs in the signature's order, raw-encoded
 * @param items the request's size along dimension 0, or 1 for a model that does not batch
 * @param outputs indices into the signature's outputs of the outputs to return, in request order
 * @param raw whether the request sent raw contents, so outputs go back raw
 */
record DecodedRequest(List<HostTensor> inputs, int items, List<Integer> outputs, boolean raw) {}
