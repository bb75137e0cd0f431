package org.eelsunmix.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.unmix.UdasEncoder;

/**
 * A fitted {@link UdasEstimator}: the decoder's endmembers (counts) and the trained encoder. {@link #transform}
 * appends to every row of any pixel table on the same axis the encoder's abundances {@code relu(W1 y / m)} (m the
 * fit's normalisation; non-negative, summing to one only approximately: uDAS's sum-to-one row is a penalty, and the
 * values are not rescaled) and the RMSE over channels of the linear mixture {@code y − Σ_r h_r e_r}
 * ({@link UdasEncoder}).
 *
 * <p>The trained encoder's row norms are in the {@link #summaryLine()} and the metadata: a row near zero (at most
 * {@link UdasEncoder#NEAR_ZERO} of the largest) means an endmember the encoder no longer uses, so R may be too large.
 * The endmembers the decoder rounds dropped as superfluous (their encoder rows are zero, their spectra kept) and
 * every endmember's significance over the noise are there too ({@link Summary}; metadata {@code droppedAt},
 * {@code significance}; a model saved before them loads with none dropped).
 * Saved as MLlib-style {@code metadata/} (params; under {@code extra} the encoder, the normalisation and the
 * summary) + {@code data/} (endmembers), written atomically.
 */
public final class UdasModel extends UnmixingModel<UdasModel> {
  private static final long serialVersionUID = 1L;
  /** The method's registry name. */
  public static final String METHOD = "udas";
  private final UdasEncoder encoder;
  private final Summary summary;

  /**
   * How the fit went.
   *
   * @param objectiveHistory the decoder rounds' objective F/N after each outer iteration ({@code UdasFit})
   * @param rmse the real reconstruction RMSE of the fit, in counts
   * @param droppedAt per endmember, the outer iteration after which the decoder rounds dropped it as superfluous,
   *     or −1 ({@code UdasFit})
   * @param significance per endmember, its significance over the noise's strongest direction ({@code UdasFit});
   *     NaN where unknown (models saved before it was recorded)
   */
  public record Summary(double[] objectiveHistory, double rmse, int[] droppedAt, double[] significance)
      implements java.io.Serializable {
    /** Nothing dropped, significance unknown. */
    public Summary(double[] objectiveHistory, double rmse, int components) {
      this(objectiveHistory, rmse, filled(components, -1), nans(components));
    }

    private static int[] filled(int n, int v) {
      int[] a = new int[n];
      Arrays.fill(a, v);
      return a;
    }

    private static double[] nans(int n) {
      double[] a = new double[n];
      Arrays.fill(a, Double.NaN);
      return a;
    }

    /** The endmembers the decoder rounds dropped. */
    public int[] dropped() {
      return java.util.stream.IntStream.range(0, droppedAt.length).filter(r -> droppedAt[r] >= 0).toArray();
    }
  }

  public UdasModel(String uid, Endmembers endmembers, UdasEncoder encoder, Summary summary) {
    super(uid, endmembers, 0L);
    this.encoder = encoder;
    this.summary = summary;
  }

  @Override
  public String method() {
    return METHOD;
  }

  /** The trained encoder with the decoder's endmembers (the per-pixel kernel of {@link #transform}). */
  public UdasEncoder encoder() {
    return encoder;
  }

  public Summary summary() {
    return summary;
  }

  @Override
  public String summaryLine() {
    double[] h = summary.objectiveHistory();
    StringBuilder norms = new StringBuilder();
    for (double v : encoder.rowNorms()) {
      norms.append(norms.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3g", v));
    }
    int[] zero = encoder.nearZeroRows();
    StringBuilder dropped = new StringBuilder();
    for (int r : summary.dropped()) {
      dropped.append(String.format(Locale.ROOT, "; endmember %d dropped as superfluous after round %d "
          + "(significance %.3g x noise)", r, summary.droppedAt()[r], summary.significance()[r]));
    }
    return String.format(Locale.ROOT, "%d outer iterations, objective %.6g -> %.6g, fit RMSE %.4g counts, encoder "
        + "row norms [%s]%s%s", h.length, h[0], h[h.length - 1], summary.rmse(), norms,
        zero.length == 0 ? "" : "; rows " + Arrays.toString(zero) + " near zero: R may be too large", dropped);
  }

  @Override
  protected Dataset<Row> unmix(Dataset<?> dataset) {
    UdasEncoder kernel = encoder;
    int channels = kernel.channels();
    PixelTransform.Kernel solvers = () -> (y, h) -> Math.sqrt(kernel.apply(y, 0, h) / channels);
    return PixelTransform.apply(dataset, channels, kernel.components(), solvers, getInputCol(), getOutputCol(),
        getRmseCol(), describe());
  }

  @Override
  public UdasModel copy(ParamMap extra) {
    return copyValues(new UdasModel(uid(), endmembers(), encoder, summary), extra).setParent(parent());
  }

  @Override
  protected void extraMetadata(ObjectNode extra) {
    extra.put("maxCount", encoder.maxCount());
    extra.set("encoder", MlPersistence.jsonArray(encoder.encoder()));
    extra.set("encoderRowNorms", MlPersistence.jsonArray(encoder.rowNorms()));
    ArrayNode zero = extra.putArray("nearZeroRows");
    for (int r : encoder.nearZeroRows()) {
      zero.add(r);
    }
    extra.set("objectiveHistory", MlPersistence.jsonArray(summary.objectiveHistory()));
    ArrayNode dropped = extra.putArray("droppedAt");
    for (int r : summary.droppedAt()) {
      dropped.add(r);
    }
    extra.set("significance", MlPersistence.jsonArray(summary.significance()));
    extra.put("rmse", summary.rmse());
  }

  public static MLReader<UdasModel> read() {
    return reader(UdasModel.class, saved -> {
      JsonNode e = saved.extra();
      UdasEncoder encoder = new UdasEncoder(saved.doubles(e.path("encoder"), "encoder"),
          saved.endmembers().matrix(), e.path("maxCount").asDouble(Double.NaN));
      double[] history = saved.doubles(e.path("objectiveHistory"), "objectiveHistory");
      double rmse = e.path("rmse").asDouble(Double.NaN);
      if (!e.has("droppedAt")) { // saved before the decoder rounds could drop an endmember
        return new UdasModel(saved.uid(), saved.endmembers(), encoder, new Summary(history, rmse,
            encoder.components()));
      }
      int[] droppedAt = new int[encoder.components()];
      for (int r = 0; r < droppedAt.length; r++) {
        droppedAt[r] = e.path("droppedAt").path(r).asInt(-1);
      }
      return new UdasModel(saved.uid(), saved.endmembers(), encoder, new Summary(history, rmse, droppedAt,
          saved.doubles(e.path("significance"), "significance")));
    });
  }

  public static UdasModel load(String path) {
    return read().load(path);
  }
}
