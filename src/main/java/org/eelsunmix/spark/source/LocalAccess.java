package org.eelsunmix.spark.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.eelsunmix.io.AcquisitionFiles;

/**
 * A file named by a Hadoop path, made readable by the format readers (which need random access to a local file,
 * and jHDF a {@link java.nio.file.Path}): a {@code file:} path (or one without a scheme) is used where it is; a
 * file on another file system ({@code hdfs:}, {@code s3a:}, ...) is copied, with the companions its format needs
 * (the {@code .raw} of a Ripple {@code .rpl}, the {@code energy.npy} beside a {@code .npy}), into a temporary folder
 * that {@link #close()} removes.
 */
final class LocalAccess implements Closeable {
  private final Path file;
  private final Path tempDir;

  private LocalAccess(Path file, Path tempDir) {
    this.file = file;
    this.tempDir = tempDir;
  }

  /** Makes {@code path} readable here. */
  static LocalAccess of(String path, Configuration conf) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
    URI uri = p.toUri();
    if (uri.getScheme() == null || uri.getScheme().equals("file")) {
      return new LocalAccess(Path.of(uri.getPath()), null);
    }
    FileSystem fs = p.getFileSystem(conf);
    Path dir = Files.createTempDirectory("eels-source-");
    try {
      Path local = dir.resolve(p.getName());
      copy(fs, p, local);
      String base = AcquisitionFiles.acquisitionId(local);
      String format = AcquisitionFiles.formatOf(local);
      String[] companions = "ripple".equals(format) ? new String[] {base + ".raw", base + ".RAW"}
          : "npy".equals(format) ? new String[] {"energy.npy"} : new String[0];
      for (String c : companions) {
        org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(p.getParent(), c);
        if (fs.exists(remote)) {
          copy(fs, remote, dir.resolve(c));
        }
      }
      return new LocalAccess(local, dir);
    } catch (IOException | RuntimeException e) {
      delete(dir);
      throw e;
    }
  }

  private static void copy(FileSystem fs, org.apache.hadoop.fs.Path from, Path to) throws IOException {
    try (InputStream in = fs.open(from)) {
      Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The local file to open. */
  Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    if (tempDir != null) {
      delete(tempDir);
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }
}
