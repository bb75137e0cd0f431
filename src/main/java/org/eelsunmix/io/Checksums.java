package org.eelsunmix.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 of source files: the acquisitions table records it so a changed file is recognised as new data. */
public final class Checksums {
  private Checksums() {}

  /** Something that can be opened for reading (a local file, a file on a Hadoop file system, ...). */
  @FunctionalInterface
  public interface Source {
    InputStream open() throws IOException;
  }

  /** Hex SHA-256 of the whole file, streamed. */
  public static String sha256(Path file) throws IOException {
    return sha256(List.of(() -> Files.newInputStream(file)));
  }

  /**
   * Hex SHA-256 of a local acquisition file and the companion holding its data, if any
   * ({@link AcquisitionFiles#companionNames}: the first that exists), in that order: the checksum that tells whether
   * an acquisition changed, whichever of its files changed.
   */
  public static String ofAcquisition(Path file) throws IOException {
    List<Source> parts = new java.util.ArrayList<>(List.of(() -> Files.newInputStream(file)));
    for (String c : AcquisitionFiles.companionNames(file.getFileName().toString())) {
      Path companion = file.resolveSibling(c);
      if (Files.isRegularFile(companion)) {
        parts.add(() -> Files.newInputStream(companion));
        break;
      }
    }
    return sha256(parts);
  }

  /**
   * Hex SHA-256 of the concatenated content of {@code parts}, streamed in order: one checksum for an acquisition
   * stored as several files (a Ripple {@code .rpl} header and its {@code .raw} data), so a change to any of them
   * is seen.
   */
  public static String sha256(List<? extends Source> parts) throws IOException {
    MessageDigest d;
    try {
      d = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[1 << 16];
    for (Source part : parts) {
      try (InputStream in = part.open()) {
        for (int n; (n = in.read(buf)) > 0; ) {
          d.update(buf, 0, n);
        }
      }
    }
    return HexFormat.of().formatHex(d.digest());
  }
}
