package org.eelsunmix.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.eelsunmix.core.BadInputException;

/**
 * Whole-directory artefacts (models, result tables, reports) are written into a hidden temporary sibling and
 * renamed into place only when complete, so a reader never sees half an output and a failed run leaves nothing
 * behind but the temporary folder, which is removed. Works on any Hadoop file system whose rename is atomic
 * (local, HDFS).
 */
public final class AtomicOutput {
  private AtomicOutput() {}

  /** Writes the content of a directory given its (temporary) path. */
  @FunctionalInterface
  public interface DirectoryWriter {
    void write(String tempPath) throws IOException;
  }

  /**
   * Runs {@code writer} on a temporary sibling of {@code target}, then moves it to {@code target}.
   *
   * @param overwrite replace an existing {@code target} (the old one is moved aside first and deleted after the
   *     new one is in place); without it an existing target is an error naming the path
   */
  public static void commit(Configuration conf, String target, boolean overwrite, DirectoryWriter writer) {
    Path dst = new Path(target);
    try {
      FileSystem fs = dst.getFileSystem(conf);
      dst = fs.makeQualified(dst);
      if (fs.exists(dst) && !overwrite) {
        throw new BadInputException(target, "already exists (give --overwrite to replace it)");
      }
      Path parent = dst.getParent();
      if (parent != null) {
        fs.mkdirs(parent);
      }
      String id = UUID.randomUUID().toString().substring(0, 8);
      Path tmp = new Path(parent, "._tmp-" + dst.getName() + "-" + id);
      try {
        writer.write(tmp.toString());
        Path old = null;
        if (fs.exists(dst)) {
          old = new Path(parent, "._old-" + dst.getName() + "-" + id);
          if (!fs.rename(dst, old)) {
            throw new IOException("could not move the old " + dst + " aside");
          }
        }
        if (!fs.rename(tmp, dst)) {
          if (old != null) {
            fs.rename(old, dst);
          }
          throw new IOException("could not rename " + tmp + " to " + dst);
        }
        if (old != null) {
          fs.delete(old, true);
        }
      } finally {
        if (fs.exists(tmp)) {
          fs.delete(tmp, true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + target + ": " + e.getMessage(), e);
    }
  }
}
