package org.eelsunmix.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eelsunmix.autoencoder.Daeu;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.spark.AtomicOutput;
import org.eelsunmix.spark.SpectrumColumn;

/**
 * A trained unmixing autoencoder (DAEU, Palsson et al., IEEE Access 2018) as a Spark ML model: the DL4J network
 * (encoder = abundances, decoder weights = endmembers) and its endmembers on the training energy axis.
 * {@link #transform} runs the encoder over any pixel table on the same axis, {@link Daeu#INFERENCE_BATCH} pixels
 * per forward pass, the network broadcast once per job and restored once per partition; the RMSE is that of the
 * decoder's reconstruction {@code aᵀM}.
 *
 * <p>Saved folder: {@code metadata/} (MLlib params plus {@code extra}: method, R, channels, seed, training, the
 * kept run's per-epoch losses and every restart's final loss), {@code data/} (endmembers as Parquet with the energy
 * axis) and {@code network/network.zip} (DL4J {@code ModelSerializer}, without updater state), written atomically.
 */
public final class AutoencoderModel extends Model<AutoencoderModel> implements MLWritable {
  private static final long serialVersionUID = 1L;
  static final String NETWORK_FILE = "network/network.zip";
  private final String uid;
  private final byte[] network;
  private final Endmembers endmembers;
  private final AutoencoderSummary summary;
  private final IntParam numEndmembers;
  private final LongParam seed;
  private final Param<String> inputCol;
  private final Param<String> outputCol;
  private final Param<String> rmseCol;

  /**
   * @param network the DL4J model zip (see {@link #network()})
   * @param endmembers the decoder weights on the training spectra's energy axis
   */
  public AutoencoderModel(String uid, byte[] network, Endmembers endmembers, AutoencoderSummary summary) {
    this.uid = uid;
    this.network = network.clone();
    this.endmembers = endmembers;
    this.summary = summary;
    numEndmembers = UnmixingParams.numEndmembers(this);
    seed = UnmixingParams.seed(this);
    inputCol = UnmixingParams.inputCol(this);
    outputCol = UnmixingParams.outputCol(this);
    rmseCol = UnmixingParams.rmseCol(this);
    setDefault(numEndmembers, endmembers.count());
    setDefault(seed, summary.seed());
    setDefault(inputCol, "spectrum");
    setDefault(outputCol, "abundances");
    setDefault(rmseCol, "rmse");
  }

  @Override
  public String uid() {
    return uid;
  }

  /** A fresh copy of the trained DL4J network. */
  public MultiLayerNetwork network() {
    return AutoencoderTraining.fromBytes(network);
  }

  /** The endmember spectra (the decoder weights, counts), with the energy axis spectra must have. */
  public Endmembers endmembers() {
    return endmembers;
  }

  /** How the network was trained and its losses. */
  public AutoencoderSummary summary() {
    return summary;
  }

  public IntParam numEndmembers() {
    return numEndmembers;
  }

  public LongParam seed() {
    return seed;
  }

  public Param<String> inputCol() {
    return inputCol;
  }

  public Param<String> outputCol() {
    return outputCol;
  }

  public Param<String> rmseCol() {
    return rmseCol;
  }

  /** A short name for messages: method, uid and (when given) where it was loaded from. */
  public String describe() {
    return summary.method() + " model " + uid;
  }

  /**
   * Refuses spectra whose energy axis is not the model's (channel count, offset, dispersion), naming the model and
   * {@code table}.
   */
  public void requireAxis(EnergyAxis axis, String table) {
    EnergyAxis own = endmembers.axis();
    if (axis.channels() != own.channels()) {
      throw new BadInputException(table, "spectra have " + axis.channels() + " channels but " + describe()
          + " takes " + own.channels());
    }
    if (!axis.sameAs(own, 1e-9)) {
      throw new BadInputException(table, "spectra are on the energy axis " + axis + " but " + describe()
          + " was trained on " + own);
    }
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return UnmixingParams.outputSchema(schema, $(inputCol), $(outputCol), $(rmseCol));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    EnergyAxis axis = SpectrumColumn.axisOf(dataset.schema(), $(inputCol));
    if (axis != null) {
      requireAxis(axis, "input dataset");
    }
    Broadcast<byte[]> shared = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext())
        .broadcast(network);
    double[][] m = endmembers.matrix();
    int channels = endmembers.channels();
    int r = endmembers.count();
    return PixelTransform.applyBlocks(dataset, channels, r, Daeu.INFERENCE_BATCH, () -> {
      MultiLayerNetwork net = AutoencoderTraining.fromBytes(shared.value());
      double[] fit = new double[channels];
      return (y, count, a, rmse) -> {
        Daeu.encode(net, y, count, a);
        for (int p = 0; p < count; p++) {
          Daeu.reconstruct(m, a, p, fit);
          double ss = 0;
          for (int c = 0; c < channels; c++) {
            double d = y[p * channels + c] - fit[c];
            ss += d * d;
          }
          rmse[p] = Math.sqrt(ss / channels);
        }
      };
    }, $(inputCol), $(outputCol), $(rmseCol), describe());
  }

  @Override
  public AutoencoderModel copy(ParamMap extra) {
    AutoencoderModel m = new AutoencoderModel(uid, network, endmembers, summary);
    return copyValues(m, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    AutoencoderModel self = this;
    return new MLWriter() {
      @Override
      public void save(String path) {
        AtomicOutput.commit(sparkSession().sparkContext().hadoopConfiguration(), path, shouldOverwrite(),
            this::saveImpl);
      }

      @Override
      public void saveImpl(String path) {
        new StageWriter(self, endmembers, summary.toJson(endmembers.channels())).saveImpl(path);
        Path file = new Path(path, NETWORK_FILE);
        try {
          FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
          try (OutputStream out = fs.create(file, false)) {
            out.write(network);
          }
        } catch (IOException e) {
          throw new UncheckedIOException("writing " + file + ": " + e.getMessage(), e);
        }
      }
    };
  }

  public static MLReader<AutoencoderModel> read() {
    return new MLReader<>() {
      @Override
      public AutoencoderModel load(String path) {
        SparkSession spark = sparkSession();
        JsonNode meta = MlPersistence.readMetadata(spark, path, AutoencoderModel.class);
        Path file = new Path(path, NETWORK_FILE);
        byte[] zip;
        try {
          FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
          if (!fs.exists(file)) {
            throw new BadInputException(path, "autoencoder model has no " + NETWORK_FILE);
          }
          try (InputStream in = fs.open(file)) {
            zip = in.readAllBytes();
          }
        } catch (IOException e) {
          throw new BadInputException(path, "cannot read " + NETWORK_FILE + ": " + e.getMessage(), e);
        }
        AutoencoderModel m = new AutoencoderModel(meta.path("uid").asText(), zip,
            StageWriter.readEndmembers(spark, path), AutoencoderSummary.fromJson(meta.path("extra")));
        MlPersistence.restoreParams(m, meta);
        return m;
      }
    };
  }

  public static AutoencoderModel load(String path) {
    return read().load(path);
  }

  static ArrayNode array(double[] values) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    for (double v : values) {
      a.add(v);
    }
    return a;
  }

  static double[] doubles(JsonNode array) {
    double[] v = new double[array.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = array.get(i).asDouble();
    }
    return v;
  }

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }
}
