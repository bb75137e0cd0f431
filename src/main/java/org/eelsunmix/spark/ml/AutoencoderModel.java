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
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.eelsunmix.autoencoder.Daeu;
import org.eelsunmix.autoencoder.MixtureFit;
import org.eelsunmix.autoencoder.Mtaeu;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.spark.AtomicOutput;
import org.eelsunmix.spark.SpectrumColumn;

/**
 * A trained unmixing autoencoder (DAEU, MTAEU or CNNAEU; Palsson et al. 2018, 2019, 2021) as a Spark ML model: the
 * DL4J network (encoder = abundances, decoder weights = endmembers) and its endmembers on the training energy axis.
 * {@link #transform} runs the encoder over any pixel table on the same axis, the network broadcast once per job and
 * restored once per partition:
 * <ul>
 *   <li>DAEU: per pixel, {@link Daeu#INFERENCE_BATCH} pixels per forward pass;</li>
 *   <li>MTAEU: per pixel too ({@link Mtaeu#encode}: each head sees one pixel, so a pixel's mean over its
 *       neighbourhoods needs only its position in its acquisition's grid, from one small aggregate);</li>
 *   <li>CNNAEU: by tiles with a one-pixel halo, assembled by acquisition and tile key ({@code CnnaeuTiles}).</li>
 * </ul>
 * The RMSE is that of the linear mixture {@code aᵀM} of the endmembers ({@link MixtureFit}).
 *
 * <p>Saved folder: {@code metadata/} (MLlib params plus {@code extra}: method, R, channels, seed, training, the
 * kept run's per-epoch losses and every restart's reconstruction loss), {@code data/} (endmembers as Parquet with
 * the energy axis) and {@code network/network.zip} (DL4J {@code ModelSerializer}, without updater state), written
 * atomically.
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
    String method = summary.method();
    if (method.equals("cnnaeu")) {
      return CnnaeuTiles.transform(dataset, shared, m, $(inputCol), $(outputCol), $(rmseCol), describe());
    }
    Map<String, int[]> sizes = method.equals("mtaeu") ? gridSizes(dataset) : null;
    PixelTransform.BlockKernel kernel = new PixelTransform.BlockKernel() {
      private static final long serialVersionUID = 1L;

      @Override
      public PixelTransform.BlockSolver newSolver() {
        MultiLayerNetwork net = AutoencoderTraining.fromBytes(shared.value());
        Mtaeu.Encoder multitask = sizes == null ? null : new Mtaeu.Encoder(net);
        double[] fit = new double[channels];
        int[] uses = new int[Mtaeu.INFERENCE_BATCH * 4];
        return (y, count, keys, a, rmse) -> {
          if (multitask == null) {
            Daeu.encode(net, y, count, a);
          } else {
            for (int p = 0; p < count; p++) {
              int[] size = sizes.get(keys[p].acquisition());
              Mtaeu.taskUses(size[0], size[1], keys[p].x(), keys[p].y(), uses, p * 4);
            }
            multitask.encode(y, count, uses, a);
          }
          for (int p = 0; p < count; p++) {
            rmse[p] = MixtureFit.rmse(m, y, a, p, fit);
          }
        };
      }

      @Override
      public boolean needsKeys() {
        return sizes != null;
      }
    };
    int block = sizes == null ? Daeu.INFERENCE_BATCH : Mtaeu.INFERENCE_BATCH;
    return PixelTransform.applyBlocks(dataset, channels, r, block, kernel, $(inputCol), $(outputCol), $(rmseCol),
        describe());
  }

  /**
   * Width and height of each acquisition's grid in {@code dataset} (largest x and y plus one; one small
   * aggregate): MTAEU mirrors its neighbourhoods at the grid's right and bottom edges.
   */
  private static Map<String, int[]> gridSizes(Dataset<?> dataset) {
    java.util.List<String> names = java.util.Arrays.asList(dataset.schema().fieldNames());
    if (!names.contains(PixelSchema.X) || !names.contains(PixelSchema.Y)) {
      throw new BadInputException("input dataset", "has no x and y columns; MTAEU needs pixel positions");
    }
    Column id = names.contains(PixelSchema.ACQUISITION_ID) ? functions.col(PixelSchema.ACQUISITION_ID)
        : functions.lit("");
    Map<String, int[]> sizes = new HashMap<>();
    for (Row row : dataset.groupBy(id.as("id")).agg(functions.max(PixelSchema.X), functions.max(PixelSchema.Y))
        .collectAsList()) {
      sizes.put(row.getString(0), new int[] {row.getInt(1) + 1, row.getInt(2) + 1});
    }
    return sizes;
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
