package dev.maas.worker.batching;

import com.google.protobuf.ByteString;
import dev.maas.worker.tensor.HostTensor;
import dev.maas.worker.tensor.Shapes;
import java.util.ArrayList;
import java.util.List;

/**
 * Concatenates requests' inputs along dimension 0 and splits a batch's outputs back into
 * per-request slices. Neither direction copies tensor bytes: {@link ByteString#concat} builds a
 * rope and {@link ByteString#substring} shares the buffer.
 */
final class BatchAssembler {

  private BatchAssembler() {}

  /** The batch's inputs: each input of every task, concatenated in task order. */
  static List<HostTensor> concatenate(List<InferenceTask> tasks) {
    InferenceTask first = tasks.get(0);
    if (tasks.size() == 1) {
      return first.inputs();
    }
    int inputCount = first.inputs().size();
    List<HostTensor> batch = new ArrayList<>(inputCount);
    for (int i = 0; i < inputCount; i++) {
      HostTensor head = first.inputs().get(i);
      ByteString data = ByteString.EMPTY;
      long rows = 0;
      for (InferenceTask task : tasks) {
        HostTensor part = task.inputs().get(i);
        data = data.concat(part.data());
        rows += part.dim(0);
      }
      long[] shape = head.shape();
      shape[0] = rows;
      batch.add(new HostTensor(head.name(), head.dataType(), shape, data));
    }
    return batch;
  }

  /**
   * Each task's slice of the batch's outputs, in task order.
   *
   * @throws IllegalStateException when an output's dimension 0 is not the batch's item count
   */
  static List<List<HostTensor>> split(List<HostTensor> outputs, List<InferenceTask> tasks) {
    List<List<HostTensor>> perTask = new ArrayList<>(tasks.size());
    if (tasks.size() == 1) {
      perTask.add(outputs);
      return perTask;
    }
    for (int t = 0; t < tasks.size(); t++) {
      perTask.add(new ArrayList<>(outputs.size()));
    }
    int totalItems = tasks.stream().mapToInt(InferenceTask::items).sum();
    for (HostTensor output : outputs) {
      if (output.rank() == 0 || output.dim(0) != totalItems) {
        throw new IllegalStateException(
            "output '"
                + output.name()
                + "' has shape "
                + Shapes.toString(output.shape())
                + ", which does not split into a batch of "
                + totalItems);
      }
      splitOne(output, tasks, perTask);
    }
    return perTask;
  }

  private static void splitOne(
      HostTensor output, List<InferenceTask> tasks, List<List<HostTensor>> perTask) {
    long rowElements = Shapes.rowElementCount(output.shape());
    ByteString data = output.data();
    int offset = 0;
    for (int t = 0; t < tasks.size(); t++) {
      int rows = tasks.get(t).items();
      int length =
          output.dataType().isFixedSize()
              ? Math.toIntExact(rows * rowElements * output.dataType().byteSize())
              : bytesElementsLength(data, offset, rows * rowElements);
      long[] shape = output.shape();
      shape[0] = rows;
      perTask
          .get(t)
          .add(
              new HostTensor(
                  output.name(),
                  output.dataType(),
                  shape,
                  data.substring(offset, offset + length)));
      offset += length;
    }
  }

  /** Byte length of {@code count} length-prefixed elements starting at {@code offset}. */
  private static int bytesElementsLength(ByteString data, int offset, long count) {
    int position = offset;
    for (long e = 0; e < count; e++) {
      int length =
          (data.byteAt(position) & 0xff)
              | (data.byteAt(position + 1) & 0xff) << 8
              | (data.byteAt(position + 2) & 0xff) << 16
              | (data.byteAt(position + 3) & 0xff) << 24;
      position += 4 + length;
    }
    return position - offset;
  }
}
