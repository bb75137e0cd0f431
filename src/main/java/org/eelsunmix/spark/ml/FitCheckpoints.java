package org.eelsunmix.spark.ml;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.StorageLevel;
import scala.Option;

/**
 * How an iterative fit keeps its per-partition blocks between passes, so that the lineage stays short whatever the
 * number of iterations. Without a checkpoint folder (the default) they are local checkpoints, kept on the
 * executors: fast, but a lost executor fails the fit. With one ({@code SparkContext.setCheckpointDir}, or the
 * setting {@value #DIR}, which Spark 3.5 does not read itself) the fit survives a lost executor: the input blocks are
 * written once to that folder (a reliable checkpoint on the cluster file system), each pass's state is cached and
 * written every {@value #DEFAULT_INTERVAL}th pass ({@value #INTERVAL}); a lost state block is recomputed from the
 * last written state through at most that many passes. The passes are deterministic functions of the blocks, so a
 * recomputed block has the same bits and the fit the same result. Written states older than the newest are deleted
 * as soon as it is on disk, and all of them at {@link #close}.
 */
final class FitCheckpoints implements AutoCloseable {
  /** Spark 4's name for the checkpoint folder; honoured here on 3.5. */
  static final String DIR = "spark.checkpoint.dir";
  /** Passes between two written states (reliable mode only). */
  static final String INTERVAL = "spark.eelsunmix.checkpointInterval";
  static final int DEFAULT_INTERVAL = 10;

  private final SparkContext sc;
  private final boolean reliable;
  private final int interval;
  private int states;
  private RDD<?> input;
  private RDD<?> written;
  private RDD<?> pending;

  private FitCheckpoints(SparkContext sc, boolean reliable, int interval) {
    this.sc = sc;
    this.reliable = reliable;
    this.interval = interval;
  }

  /** The checkpointing of a fit on {@code sc}: reliable when a checkpoint folder is set or configured. */
  static FitCheckpoints of(SparkContext sc) {
    if (sc.getCheckpointDir().isEmpty() && sc.conf().contains(DIR)) {
      sc.setCheckpointDir(sc.conf().get(DIR));
    }
    int interval = sc.conf().getInt(INTERVAL, DEFAULT_INTERVAL);
    if (interval < 1) {
      throw new IllegalArgumentException(INTERVAL + " must be >= 1, got " + interval);
    }
    return new FitCheckpoints(sc, sc.getCheckpointDir().isDefined(), interval);
  }

  boolean reliable() {
    return reliable;
  }

  /** Keeps the blocks read from the input for the whole fit (call before their first action). */
  <T> JavaRDD<T> input(JavaRDD<T> blocks) {
    if (reliable) {
      blocks.persist(StorageLevel.MEMORY_AND_DISK());
      blocks.rdd().checkpoint();
      input = blocks.rdd();
    } else {
      blocks.rdd().localCheckpoint();
    }
    return blocks;
  }

  /** Keeps one pass's state (call before its first action, then {@link #stored} after it). */
  <T> void state(JavaRDD<T> next) {
    if (!reliable) {
      next.rdd().localCheckpoint();
      return;
    }
    next.persist(StorageLevel.MEMORY_AND_DISK());
    if (++states % interval == 0) {
      next.rdd().checkpoint();
      pending = next.rdd();
    }
  }

  /** After the action on the newest state: once it is on disk, the previously written state is no longer needed. */
  void stored() {
    if (pending != null && pending.isCheckpointed()) {
      delete(written);
      written = pending;
      pending = null;
    }
  }

  /** Deletes every checkpoint this fit wrote. */
  @Override
  public void close() {
    delete(written);
    delete(pending);
    delete(input);
    written = pending = input = null;
  }

  private void delete(RDD<?> rdd) {
    Option<String> file = rdd == null ? Option.empty() : rdd.getCheckpointFile();
    if (file.isDefined()) {
      Path p = new Path(file.get());
      try {
        p.getFileSystem(sc.hadoopConfiguration()).delete(p, true);
      } catch (IOException e) {
        throw new UncheckedIOException("deleting checkpoint " + p + ": " + e.getMessage(), e);
      }
    }
  }
}
