package dev.maas.controlplane.upload;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.maas.controlplane.model.ModelSignature;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.tensorflow.proto.SavedModel;

/**
 * Checks an uploaded archive without unpacking it: a plain tar whose entries are only regular files
 * and directories with relative paths that stay inside it (no absolute path, no {@code ..}, no
 * links, devices or FIFOs), within the file-count and unpacked-size limits, holding a SavedModel
 * ({@code saved_model.pb} at its root); and reads the SavedModel's signatures.
 */
final class ArchiveInspector {

  static final String SAVED_MODEL = "saved_model.pb";

  /** The largest saved_model.pb read into memory; weights belong in variables/. */
  private static final long MAX_GRAPH_BYTES = 1L << 30;

  /** The longest file or directory name (one path segment) that file systems hold, in bytes. */
  static final int MAX_NAME_BYTES = 255;

  private final int maxFiles;
  private final long maxUnpackedBytes;

  ArchiveInspector(int maxFiles, long maxUnpackedBytes) {
    this.maxFiles = maxFiles;
    this.maxUnpackedBytes = maxUnpackedBytes;
  }

  /**
   * The signatures of the SavedModel in {@code archive}.
   *
   * @throws RejectedArchiveException when the archive is unsafe or not a SavedModel; its message
   *     says why
   */
  List<ModelSignature> inspect(Path archive) throws RejectedArchiveException, IOException {
    try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
      rejectCompressed(file);
      SavedModel savedModel;
      try {
        savedModel = scan(new TarArchiveInputStream(file));
      } catch (InvalidProtocolBufferException e) {
        throw new RejectedArchiveException(
            SAVED_MODEL + " is not a SavedModel protocol buffer: " + e.getMessage());
      } catch (IOException | IllegalArgumentException e) {
        // The upload is a local file: what fails here is its format, such as a truncated entry.
        throw new RejectedArchiveException(
            "the upload is not a valid tar archive: " + e.getMessage());
      }
      return SavedModelSignatures.read(savedModel);
    }
  }

  /** Checks every entry and returns the parsed saved_model.pb. */
  private SavedModel scan(TarArchiveInputStream tar) throws RejectedArchiveException, IOException {
    Set<String> names = new HashSet<>();
    long unpackedBytes = 0;
    SavedModel savedModel = null;
    for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
      String name = checkedName(entry.getName());
      checkType(entry);
      if (name.isEmpty()) {
        continue; // "./", the archive's root directory
      }
      if (names.size() >= maxFiles) {
        throw new RejectedArchiveException(
            "the archive has more than " + maxFiles + " entries (maas.upload.max-files)");
      }
      if (!names.add(name)) {
        throw new RejectedArchiveException("the archive holds '" + name + "' twice");
      }
      unpackedBytes += entry.getSize();
      if (unpackedBytes > maxUnpackedBytes) {
        throw new RejectedArchiveException(
            "the archive's files add up to more than "
                + maxUnpackedBytes
                + " bytes unpacked (maas.upload.max-unpacked-bytes)");
      }
      if (name.equals(SAVED_MODEL) && entry.isFile()) {
        if (entry.getSize() > MAX_GRAPH_BYTES) {
          throw new RejectedArchiveException(
              SAVED_MODEL
                  + " is larger than "
                  + MAX_GRAPH_BYTES
                  + " bytes; keep weights in variables/");
        }
        // Reads the current entry only: the tar stream ends where the entry does.
        savedModel = SavedModel.parseFrom(tar);
      }
    }
    if (names.isEmpty()) {
      throw new RejectedArchiveException("the upload is not a tar archive, or an empty one");
    }
    if (savedModel == null) {
      throw new RejectedArchiveException(
          "the archive has no " + SAVED_MODEL + " at its root; tar the SavedModel directory");
    }
    return savedModel;
  }

  private static void rejectCompressed(InputStream file)
      throws IOException, RejectedArchiveException {
    file.mark(2);
    int first = file.read();
    int second = file.read();
    file.reset();
    if (first == 0x1f && second == 0x8b) {
      throw new RejectedArchiveException(
          "the archive is gzip-compressed; upload a plain (uncompressed) tar");
    }
  }

  /** The entry's path relative to the archive root, without "./" and trailing "/"; "" for root. */
  static String checkedName(String raw) throws RejectedArchiveException {
    if (raw.startsWith("/")) {
      throw new RejectedArchiveException("the archive has an absolute path: '" + raw + "'");
    }
    if (raw.indexOf('\\') >= 0 || raw.indexOf('\0') >= 0) {
      // Workers refuse these when they unpack; refuse them here, where the uploader hears why.
      throw new RejectedArchiveException(
          "the archive has a path with a backslash or NUL character: '" + raw + "'");
    }
    StringBuilder name = new StringBuilder();
    for (String segment : raw.split("/")) {
      if (segment.equals("..")) {
        throw new RejectedArchiveException("the archive has a path with '..': '" + raw + "'");
      }
      if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
        throw new RejectedArchiveException(
            "the archive has a file or directory name longer than "
                + MAX_NAME_BYTES
                + " bytes, which no file system can hold: '"
                + raw
                + "'");
      }
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (name.length() > 0) {
        name.append('/');
      }
      name.append(segment);
    }
    return name.toString();
  }

  private static void checkType(TarArchiveEntry entry) throws RejectedArchiveException {
    String what;
    if (entry.isSymbolicLink()) {
      what = "a symbolic link";
    } else if (entry.isLink()) {
      what = "a hard link";
    } else if (entry.isCharacterDevice() || entry.isBlockDevice()) {
      what = "a device";
    } else if (entry.isFIFO()) {
      what = "a FIFO";
    } else if (entry.isSparse()) {
      what = "a sparse file";
    } else if (entry.isDirectory()
        || entry.getLinkFlag() == TarConstants.LF_NORMAL
        || entry.getLinkFlag() == TarConstants.LF_OLDNORM) {
      return;
    } else {
      what = "an entry of unsupported type '" + (char) entry.getLinkFlag() + "'";
    }
    throw new RejectedArchiveException(
        "'" + entry.getName() + "' is " + what + "; archives may hold only files and directories");
  }
}
