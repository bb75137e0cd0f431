package org.eelsunmix.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.eelsunmix.core.BadInputException;

/**
 * Every output of the project appears whole or not at all: it is written into a hidden temporary sibling
 * ({@code ._tmp-<name>-<8 hex>}) and renamed into place only when complete; a target being replaced is first moved
 * aside ({@code ._old-<name>-<8 hex>}) and deleted once the new one is in place. {@link #commit} does this for
 * folders (models, result tables, reports), {@link #writeFile} for single files (a CSV, a ledger entry). Works on
 * any Hadoop file system whose rename is atomic (local, HDFS).
 *
 * <p>A writer that is killed leaves its temporary behind. The next write of the same target removes those of its
 * target's name that are older than {@link #STALE_AFTER} (younger ones may belong to a writer still running);
 * {@link #removeStale} does the same for other temporaries a caller owns (Spark's {@code .spark-staging-*} inside
 * a table it writes, or anything under a lock it holds).
 */
public final class AtomicOutput {
  /**
   * How old a temporary must be before a later writer of the same target removes it: longer than any one write
   * runs, so a writer running at the same time is never hurt.
   */
  public static final Duration STALE_AFTER = Duration.ofHours(24);

  private AtomicOutput() {}

  /** Writes the content of a directory given its (temporary) path. */
  @FunctionalInterface
  public interface DirectoryWriter {
    void write(String tempPath) throws IOException;
  }

  /** Writes the content of one file onto a stream (closed by the caller). */
  @FunctionalInterface
  public interface FileWriter {
    void write(OutputStream out) throws IOException;
  }

  /**
   * Runs {@code writer} on a temporary sibling of {@code target}, then moves it to {@code target}.
   *
   * @param overwrite replace an existing {@code target} (the old one is moved aside first and deleted after the
   *     new one is in place); without it an existing target is an error naming the path
   */
  public static void commit(Configuration conf, String target, boolean overwrite, DirectoryWriter writer) {
    replace(conf, target, overwrite, false, (fs, tmp) -> writer.write(tmp.toString()));
  }

  /**
   * Writes one file atomically: {@code writer} fills a temporary sibling of {@code target}, which then replaces it.
   *
   * @param overwrite replace an existing {@code target}; without it an existing target is an error naming the path
   */
  public static void writeFile(Configuration conf, String target, boolean overwrite, FileWriter writer) {
    replace(conf, target, overwrite, true, (fs, tmp) -> {
      try (OutputStream o = fs.create(tmp, false)) {
        writer.write(o);
      }
    });
  }

  private interface TempWriter {
    void write(FileSystem fs, Path tmp) throws IOException;
  }

  private static void replace(Configuration conf, String target, boolean overwrite, boolean file, TempWriter writer) {
    Path dst = new Path(target);
    try {
      FileSystem fs = dst.getFileSystem(conf);
      dst = fs.makeQualified(dst);
      if (fs.exists(dst) && !overwrite) {
        throw new BadInputException(target, "already exists (give --overwrite to replace it)");
      }
      if (file && fs.exists(dst) && fs.getFileStatus(dst).isDirectory()) {
        throw new BadInputException(target, "is a folder; a file of that name is to be written");
      }
      Path parent = dst.getParent();
      if (parent != null) {
        fs.mkdirs(parent);
        removeStale(conf, parent.toString(), ownTemporaries(dst.getName()), STALE_AFTER);
      }
      String id = UUID.randomUUID().toString().substring(0, 8);
      Path tmp = new Path(parent, "._tmp-" + dst.getName() + "-" + id);
      try {
        writer.write(fs, tmp);
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

  /** The names of the temporaries {@link #commit} and {@link #writeFile} make for a target called {@code name}. */
  static Pattern ownTemporaries(String name) {
    return Pattern.compile("\\._(tmp|old)-" + Pattern.quote(name) + "-[0-9a-f]{8}");
  }

  /** Any temporary of {@link #commit} or {@link #writeFile}, whatever its target. */
  public static final Pattern TEMPORARIES = Pattern.compile("\\._(tmp|old)-.+");
  /** The staging folders of Spark's dynamic partition overwrite, inside the table being written. */
  public static final Pattern SPARK_STAGING = Pattern.compile("\\.spark-staging-.+");

  /**
   * Deletes the entries of folder {@code dir} whose whole name matches {@code names} and that were last modified at
   * least {@code minAge} ago (temporaries of killed writers); returns their paths. A missing folder has none.
   */
  public static List<String> removeStale(Configuration conf, String dir, Pattern names, Duration minAge) {
    Path folder = new Path(dir);
    List<String> removed = new ArrayList<>();
    try {
      FileSystem fs = folder.getFileSystem(conf);
      if (!fs.exists(folder)) {
        return removed;
      }
      long before = System.currentTimeMillis() - minAge.toMillis();
      for (FileStatus s : fs.listStatus(folder)) {
        if (names.matcher(s.getPath().getName()).matches() && s.getModificationTime() <= before
            && fs.delete(s.getPath(), true)) {
          removed.add(s.getPath().toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cleaning " + dir + ": " + e.getMessage(), e);
    }
    return removed;
  }
}
