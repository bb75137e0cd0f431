package org.eelsunmix.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.UnaryOperator;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;

/**
 * A fitted unmixing model as a batch job applies it to new acquisitions ("fit once, apply to the archive"): its
 * endmembers (which fix the energy axis a spectrum must have) and a transform appending {@code abundances} and
 * {@code rmse} to pixel rows. {@link #load} finds the saved model (an {@code unmix} output folder or its
 * {@code model/}) and picks the adapter by the class recorded in its metadata: {@link VcaFclsModel} or
 * {@link AutoencoderModel} (train output).
 */
public interface SavedUnmixingModel {
  /** Where the model was loaded from and its uid, for messages and the ledger (e.g. {@code vca-fcls uid at dir}). */
  String description();

  /** The uid of the saved stage: a reprocessing output folder holds results of one model only. */
  String uid();

  /** The endmember spectra, on the energy axis spectra must have. */
  Endmembers endmembers();

  /** {@code pixels} (a pixel table with its {@code spectrum} column) with {@code abundances} and {@code rmse} added. */
  Dataset<Row> transform(Dataset<Row> pixels);

  /**
   * Loads the model saved at {@code dir}, or at {@code dir/model} when {@code dir} is an {@code unmix} output folder.
   * An error names the folder when neither holds a model, or when the class is one this version cannot apply.
   */
  static SavedUnmixingModel load(SparkSession spark, String dir) {
    String modelDir = dir;
    try {
      Path nested = new Path(dir, "model/metadata");
      FileSystem fs = nested.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(new Path(dir, "metadata")) && fs.exists(nested)) {
        modelDir = new Path(dir, "model").toString();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + dir + ": " + e.getMessage(), e);
    }
    JsonNode meta = MlPersistence.readMetadata(spark, modelDir);
    String cls = meta.path("class").asText("");
    if (cls.equals(AutoencoderModel.class.getName())) {
      AutoencoderModel m = AutoencoderModel.load(modelDir);
      return adapter(m.describe() + " at " + modelDir, m.uid(), m.endmembers(), m::transform);
    }
    if (cls.equals(VcaFclsModel.class.getName())) {
      VcaFclsModel m = VcaFclsModel.load(modelDir);
      return adapter("vca-fcls model " + m.uid() + " at " + modelDir, m.uid(), m.endmembers(), m::transform);
    }
    throw new BadInputException(dir, "holds a " + (cls.isEmpty() ? "stage of unknown class" : cls)
        + "; reprocessing applies vca-fcls and autoencoder models (saved by unmix or train --out DIR, under "
        + "DIR/model)");
  }

  /**
   * The endmembers of the model saved at {@code dir} (an {@code unmix} output's {@code model/}), whatever its method
   * (VCA-FCLS, NMF, ICA or an autoencoder: all keep them as Parquet beside their metadata).
   *
   * @throws BadInputException naming the folder when it holds no saved model or no endmembers
   */
  static Endmembers endmembersOf(SparkSession spark, String dir) {
    MlPersistence.readMetadata(spark, dir);
    return StageWriter.readEndmembers(spark, dir);
  }

  private static SavedUnmixingModel adapter(String description, String uid, Endmembers endmembers,
      UnaryOperator<Dataset<Row>> transform) {
    return new SavedUnmixingModel() {
      @Override
      public String description() {
        return description;
      }

      @Override
      public String uid() {
        return uid;
      }

      @Override
      public Endmembers endmembers() {
        return endmembers;
      }

      @Override
      public Dataset<Row> transform(Dataset<Row> pixels) {
        return transform.apply(pixels);
      }
    };
  }
}
