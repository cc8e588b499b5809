package dev.maas.controlplane.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.maas.controlplane.model.ModelSignature;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.tensorflow.proto.DataType;

/**
 * Fuzzes the control plane's upload archive checks ({@link ArchiveInspector}, {@link
 * SavedModelSignatures}) with tar archives built entry by entry (path traversal, links, devices,
 * duplicate names, huge claimed sizes, truncation) and with arbitrary bytes. The invariant: an
 * archive is either refused with {@link RejectedArchiveException} (the version's FAILED reason,
 * INVALID_ARGUMENT to the uploader) or it is a safe SavedModel, as an independent reading of its
 * entries confirms; nothing is ever written beside the uploaded file. Corpus: {@code
 * src/test/resources/dev/maas/controlplane/upload/ArchiveInspectorFuzzTestInputs}.
 */
class ArchiveInspectorFuzzTest {

  private static final int MAX_FILES = 16;
  private static final long MAX_UNPACKED_BYTES = 1 << 20;

  private static final ArchiveInspector INSPECTOR =
      new ArchiveInspector(MAX_FILES, MAX_UNPACKED_BYTES);

  private static final List<String> NAMES =
      List.of(
          "saved_model.pb",
          "./saved_model.pb",
          "variables/",
          "variables/variables.index",
          "variables/variables.data-00000-of-00001",
          "assets/vocab.txt",
          "./",
          ".",
          "../saved_model.pb",
          "a/../../etc/passwd",
          "/etc/passwd",
          "//saved_model.pb",
          "variables/../saved_model.pb",
          "..",
          "a/./b/",
          "saved_model.pb/",
          "x\u0000y");

  private static final byte[] TYPES = {
    TarConstants.LF_NORMAL,
    TarConstants.LF_OLDNORM,
    TarConstants.LF_DIR,
    TarConstants.LF_SYMLINK,
    TarConstants.LF_LINK,
    TarConstants.LF_CHR,
    TarConstants.LF_BLK,
    TarConstants.LF_FIFO,
    TarConstants.LF_CONTIG,
    TarConstants.LF_GNUTYPE_SPARSE,
    TarConstants.LF_GNUTYPE_LONGNAME,
    TarConstants.LF_PAX_EXTENDED_HEADER_LC,
    (byte) 'Z'
  };

  private static final List<DataType> DTYPES =
      java.util.Arrays.stream(DataType.values()).filter(t -> t != DataType.UNRECOGNIZED).toList();

  private static Path sandbox;
  private static Path archive;

  @BeforeAll
  static void createSandbox() throws IOException {
    sandbox = Files.createTempDirectory("maas-archive-fuzz");
    archive = sandbox.resolve("upload.tar");
  }

  @AfterAll
  static void deleteSandbox() throws IOException {
    try (Stream<Path> files = Files.walk(sandbox)) {
      files.sorted((a, b) -> b.compareTo(a)).forEach(ArchiveInspectorFuzzTest::delete);
    }
  }

  @FuzzTest
  void inspect_structuredTar_rejectsUnsafeArchives(FuzzedDataProvider data) throws IOException {
    TestArchives.Tar tar = TestArchives.tar();
    int entries = data.consumeInt(0, 6);
    for (int i = 0; i < entries; i++) {
      String name = data.consumeBoolean() ? data.pickValue(NAMES) : data.consumeString(40);
      switch (data.consumeInt(0, 5)) {
        case 0 -> tar.directory(name.endsWith("/") ? name : name + "/");
        case 1 -> tar.symlink(name, data.pickValue(NAMES));
        case 2 -> tar.hardlink(name, data.pickValue(NAMES));
        case 3 -> tar.special(name, data.pickValue(TYPES));
        default -> {
          if (name.endsWith("/")) {
            tar.directory(name); // the tar writer takes a trailing '/' for a directory
          } else {
            tar.file(name, content(data, name));
          }
        }
      }
    }
    byte[] bytes = tar.build();
    if (bytes.length > 512 && data.consumeInt(0, 3) == 0) {
      claimSize(bytes, data.consumeInt(0, bytes.length / 512 - 1) * 512, data);
    }
    if (data.consumeInt(0, 7) == 0) {
      bytes = java.util.Arrays.copyOf(bytes, data.consumeInt(0, bytes.length));
    }
    check(bytes);
  }

  @FuzzTest
  void inspect_rawBytes_acceptsOnlySafeSavedModels(byte[] bytes) throws IOException {
    check(bytes);
  }

  private static void check(byte[] bytes) throws IOException {
    Files.write(archive, bytes);
    try {
      List<ModelSignature> signatures = INSPECTOR.inspect(archive);
      assertThat(signatures).isNotEmpty();
      assertSafe(bytes);
    } catch (RejectedArchiveException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    try (Stream<Path> files = Files.list(sandbox)) {
      assertThat(files).as("files beside the upload").containsExactly(archive);
    }
  }

  /** Reads the accepted archive again, independently: every rule the inspector promises holds. */
  private static void assertSafe(byte[] bytes) throws IOException {
    Set<String> names = new HashSet<>();
    long unpacked = 0;
    boolean savedModel = false;
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(bytes))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        String name = entry.getName();
        assertThat(name).doesNotStartWith("/");
        assertThat(List.of(name.split("/")))
            .doesNotContain("..")
            .allSatisfy(
                segment ->
                    assertThat(segment.getBytes(StandardCharsets.UTF_8).length)
                        .as("name length a worker can unpack")
                        .isLessThanOrEqualTo(255));
        assertThat(name).as("a name a worker unpacks").doesNotContain("\\", "\0");
        assertThat(entry.isDirectory() || entry.isFile()).as("plain entry %s", name).isTrue();
        assertThat(entry.isSymbolicLink() || entry.isLink() || entry.isSparse()).isFalse();
        assertThat(entry.getSize()).isGreaterThanOrEqualTo(0);
        if (entry.isFile()) {
          // The limit is on the files' bytes: a directory's claimed size is never written.
          unpacked += entry.getSize();
        }
        String normalized = name.replaceAll("^(\\./)+", "").replaceAll("/+$", "");
        if (!normalized.isEmpty() && !normalized.equals(".")) {
          names.add(normalized);
        }
        savedModel |= entry.isFile() && normalized.equals(ArchiveInspector.SAVED_MODEL);
      }
    }
    assertThat(names).hasSizeLessThanOrEqualTo(MAX_FILES);
    assertThat(unpacked).isLessThanOrEqualTo(MAX_UNPACKED_BYTES);
    assertThat(savedModel).isTrue();
  }

  private static byte[] content(FuzzedDataProvider data, String name) {
    if (name.endsWith(ArchiveInspector.SAVED_MODEL) && data.consumeBoolean()) {
      return switch (data.consumeInt(0, 2)) {
        case 0 -> TestArchives.servingModel().toByteArray();
        case 1 ->
            TestArchives.savedModel(
                    List.of(data.consumeBoolean() ? "serve" : data.consumeString(6)),
                    java.util.Map.of(
                        data.consumeString(16),
                        TestArchives.signature(
                            java.util.Map.of(
                                "x",
                                TestArchives.tensor(data.pickValue(DTYPES), data.consumeLong())),
                            java.util.Map.of("y", TestArchives.tensor(DataType.DT_FLOAT, -1)))))
                .toByteArray();
        default -> data.consumeBytes(64);
      };
    }
    return data.consumeString(32).getBytes(StandardCharsets.UTF_8);
  }

  /** Rewrites the size field of the header at {@code offset}: huge, negative or off by a little. */
  private static void claimSize(byte[] tar, int offset, FuzzedDataProvider data) {
    byte[] field = new byte[12];
    switch (data.consumeInt(0, 2)) {
      case 0 -> {
        // base-256: high bit set, then a big-endian two's complement number
        long value = data.consumeLong();
        field[0] = (byte) 0x80;
        for (int i = 0; i < 8; i++) {
          field[11 - i] = (byte) (value >>> (8 * i));
        }
        if (value < 0) {
          field[0] = (byte) 0xff;
          java.util.Arrays.fill(field, 1, 4, (byte) 0xff);
        }
      }
      case 1 -> {
        String octal = String.format("%011o", data.consumeLong(0, 077777777777L));
        System.arraycopy(octal.getBytes(StandardCharsets.US_ASCII), 0, field, 0, 11);
      }
      default -> {
        byte[] junk = data.consumeBytes(12);
        System.arraycopy(junk, 0, field, 0, junk.length);
      }
    }
    System.arraycopy(field, 0, tar, offset + 124, 12);
    // Keep the header checksum right, so the claim gets past the tar reader's first check.
    java.util.Arrays.fill(tar, offset + 148, offset + 156, (byte) ' ');
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += tar[offset + i] & 0xff;
    }
    byte[] checksum = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(checksum, 0, tar, offset + 148, 8);
  }

  private static void delete(Path path) {
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
