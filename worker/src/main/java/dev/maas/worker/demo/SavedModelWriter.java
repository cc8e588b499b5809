package dev.maas.worker.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;

/**
 * Builds a graph, initializes its variables and exports it as a SavedModel that appears in its
 * target directory all at once.
 *
 * <p>Everything is first written into a hidden sibling directory ({@code .<name>.tmp-<uuid>}) and
 * then renamed with {@link StandardCopyOption#ATOMIC_MOVE}, so a repository poller never sees a
 * half-written model; the staging directory is removed if anything fails.
 */
final class SavedModelWriter {

  private SavedModelWriter() {}

  /**
   * Exports the graph that {@code graphBuilder} builds into {@code versionDir}, which must not
   * exist yet; the builder returns the serving signature.
   */
  static void export(Path versionDir, Function<Ops, Signature> graphBuilder) {
    publishAtomically(versionDir, staging -> writeSavedModel(staging, graphBuilder));
  }

  /**
   * Lets {@code writer} fill a fresh staging directory, then renames it to {@code target}, which
   * must not exist yet.
   */
  static void publishAtomically(Path target, IoConsumer<Path> writer) {
    Path absolute = target.toAbsolutePath();
    Path staging =
        absolute.resolveSibling("." + absolute.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      Files.createDirectories(absolute.getParent());
      writer.accept(staging);
      Files.move(staging, absolute, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + absolute, e);
    } finally {
      deleteRecursively(staging);
    }
  }

  private static void writeSavedModel(Path dir, Function<Ops, Signature> graphBuilder)
      throws IOException {
    try (Graph graph = new Graph();
        Session session = new Session(graph)) {
      Signature signature = graphBuilder.apply(Ops.create(graph));
      session.initialize();
      SavedModelBundle.exporter(dir.toString())
          .withTags(DemoModels.SERVING_TAG)
          .withSession(session)
          .withSignature(signature)
          .export();
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete staging directory " + dir, e);
    }
  }

  /** A step that writes into a directory and may fail with an {@link IOException}. */
  @FunctionalInterface
  interface IoConsumer<T> {
    void accept(T value) throws IOException;
  }
}
