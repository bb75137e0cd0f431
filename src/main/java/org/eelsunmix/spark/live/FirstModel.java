package org.eelsunmix.spark.live;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.spark.AcquisitionArchive;
import org.eelsunmix.spark.AtomicOutput;
import org.eelsunmix.spark.ml.UnmixingEstimator;
import org.eelsunmix.spark.ml.UnmixingModel;

/**
 * {@code --train-first}: the model a session trains on its first acquisition, saved in the output folder as
 * {@code <out>/model/} (the layout of {@code train}'s {@code model/}, so {@code apply}, {@code reprocess --model} and
 * {@code export} take it), committed atomically: a watcher killed while training leaves no model, and the next one
 * trains again; once there, every later session on that output folder reuses it.
 */
final class FirstModel {
  /** The model's folder inside the output folder. */
  static final String FOLDER = "model";

  private FirstModel() {}

  static String path(String out) {
    return out + "/" + FOLDER;
  }

  /** Whether {@code out} holds a saved model (its metadata is written last of all, inside the commit). */
  static boolean saved(Configuration conf, String out) {
    Path metadata = new Path(path(out), "metadata");
    try {
      return metadata.getFileSystem(conf).exists(metadata);
    } catch (IOException e) {
      throw new UncheckedIOException("checking " + metadata + ": " + e.getMessage(), e);
    }
  }

  /**
   * Fits {@code estimator} on the pixels of archive file {@code e} (read through {@code format("eels")}, strict:
   * a bad file throws naming it) and commits the model as {@code <out>/model/}.
   */
  static UnmixingModel<?> train(SparkSession spark, AcquisitionArchive.Entry e, UnmixingEstimator<?, ?> estimator,
      String out) {
    spark.sparkContext().setJobDescription("watch: train " + estimator.method() + " on " + e.relativePath());
    Dataset<Row> pixels = spark.read().format("eels").option("stringency", "strict")
        .option("acquisitionId", "name").load(e.path());
    UnmixingModel<?> model = estimator.fit(pixels);
    AtomicOutput.commit(spark.sparkContext().hadoopConfiguration(), path(out), false,
        tmp -> model.write().save(tmp));
    return model;
  }
}
