package org.eelsunmix.spark.ml;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.eelsunmix.autoencoder.Daeu;
import org.eelsunmix.autoencoder.MixtureFit;
import org.eelsunmix.autoencoder.Mtaeu;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;

/**
 * A trained unmixing autoencoder (DAEU, MTAEU or CNNAEU; Palsson et al. 2018, 2019, 2021) as a Spark ML model: the
 * DL4J network (encoder = abundances, decoder weights = endmembers) and its endmembers on the training energy axis.
 * {@link #transform} runs the encoder over any pixel table on the same axis, the network broadcast once per job (once
 * per series inside a {@link KernelBroadcasts} scope) and restored once per partition:
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
public final class AutoencoderModel extends UnmixingModel<AutoencoderModel> {
  private static final long serialVersionUID = 1L;
  static final String NETWORK_FILE = "network/network.zip";
  private final byte[] network;
  private final AutoencoderSummary summary;

  /**
   * @param network the DL4J model zip (see {@link #network()})
   * @param endmembers the decoder weights on the training spectra's energy axis
   */
  public AutoencoderModel(String uid, byte[] network, Endmembers endmembers, AutoencoderSummary summary) {
    super(uid, endmembers, summary.seed());
    this.network = network.clone();
    this.summary = summary;
  }

  @Override
  public String method() {
    return summary.method();
  }

  /** How the network was trained and every restart's reconstruction loss, on one line. */
  @Override
  public String summaryLine() {
    AutoencoderSummary s = summary;
    StringBuilder losses = new StringBuilder();
    for (double l : s.restartLosses()) {
      losses.append(losses.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", l));
    }
    return String.format(Locale.ROOT, "%s training on %d %s; reconstruction loss (mean SAD, rad) of restarts "
        + "[%s], kept restart %d (seed %d)", s.training(), s.samples(), s.windows(), losses, s.kept(),
        s.seed() + s.kept());
  }

  /** A fresh copy of the trained DL4J network. */
  public MultiLayerNetwork network() {
    return AutoencoderTraining.fromBytes(network);
  }

  /** How the network was trained and its losses. */
  public AutoencoderSummary summary() {
    return summary;
  }

  @Override
  protected Dataset<Row> unmix(Dataset<?> dataset) {
    // Once per series inside a KernelBroadcasts scope (SeriesApply), once per job otherwise.
    Broadcast<byte[]> shared = KernelBroadcasts.share(dataset.sparkSession(), network);
    double[][] m = endmembers().matrix();
    int channels = endmembers().channels();
    int r = endmembers().count();
    String method = summary.method();
    if (method.equals("cnnaeu")) {
      return CnnaeuTiles.transform(dataset, shared, m, getInputCol(), getOutputCol(), getRmseCol(), describe());
    }
    Map<String, int[]> sizes = method.equals("mtaeu") ? gridSizes(dataset) : null;
    int block = sizes == null ? Daeu.INFERENCE_BATCH : Mtaeu.INFERENCE_BATCH;
    return PixelTransform.applyBlocks(dataset, channels, r, block, new NetworkKernel(shared, m, sizes),
        getInputCol(), getOutputCol(), getRmseCol(), describe());
  }

  /**
   * The encoder per pixel (DAEU, or MTAEU with the grid sizes its neighbourhoods need), the network restored from
   * its broadcast once per partition; holds only the handle and small arrays, so it rides in the closure.
   */
  private static final class NetworkKernel implements PixelTransform.BlockKernel, KernelBroadcasts.Inline {
    private static final long serialVersionUID = 1L;
    private final Broadcast<byte[]> network;
    private final double[][] m;
    private final Map<String, int[]> sizes;

    NetworkKernel(Broadcast<byte[]> network, double[][] m, Map<String, int[]> sizes) {
      this.network = network;
      this.m = m;
      this.sizes = sizes;
    }

    @Override
    public PixelTransform.BlockSolver newSolver() {
      MultiLayerNetwork net = AutoencoderTraining.fromBytes(network.value());
      Mtaeu.Encoder multitask = sizes == null ? null : new Mtaeu.Encoder(net);
      double[] fit = new double[m[0].length];
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
    return copyValues(new AutoencoderModel(uid(), network, endmembers(), summary), extra).setParent(parent());
  }

  @Override
  protected void extraMetadata(ObjectNode extra) {
    extra.setAll(summary.toJson(endmembers().channels()));
  }

  /** The DL4J network zip, without updater state. */
  @Override
  protected void writeExtraFiles(SparkSession spark, String path) throws IOException {
    writeFile(spark, path, NETWORK_FILE, network);
  }

  public static MLReader<AutoencoderModel> read() {
    return reader(AutoencoderModel.class, saved -> new AutoencoderModel(saved.uid(), saved.readFile(NETWORK_FILE),
        saved.endmembers(), AutoencoderSummary.fromJson(saved.extra())));
  }

  public static AutoencoderModel load(String path) {
    return read().load(path);
  }
}
