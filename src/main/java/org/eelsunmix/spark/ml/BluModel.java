package org.eelsunmix.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.unmix.Blu;
import org.eelsunmix.unmix.BluApply;
import org.eelsunmix.unmix.KeyedRandom;

/**
 * A fitted {@link BluEstimator}: the posterior mean endmembers (counts), their posterior standard deviation per
 * channel, the posterior mean σ² and the chain's traces ({@link Posterior}). {@link #transform} samples the
 * abundances of every pixel of any table on the model's axis with M and σ² fixed ({@link BluApply}: the same
 * sweeps and burn-in, streams keyed by seed and pixel address) and appends their posterior means
 * ({@code abundances}), the RMSE of {@code y − Mᵀā} and their posterior standard deviations ({@code stdCol},
 * default {@code abundances_std}).
 *
 * <p>Saved as the other models, plus {@code std/} (the per-channel standard deviations, Parquet in the layout of
 * {@code data/}) and, in the metadata's {@code extra}, σ², the scale, the σ² and log-likelihood traces (chains ×
 * sweeps) and their split-R̂. {@link #endmemberBands} gives mean ∓ {@value Blu#BAND_SDS} sd per channel
 * (≈ 95 % under a normal approximation), which {@code export} writes as MSA spectra.
 */
public final class BluModel extends UnmixingModel<BluModel> {
  private static final long serialVersionUID = 1L;
  /** The method's registry name. */
  public static final String METHOD = "blu";
  private static final String STD_FOLDER = "std";
  private final Posterior posterior;
  private final IntParam sweeps;
  private final IntParam burnIn;
  private final IntParam chains;
  private final Param<String> stdCol;

  /**
   * What the chain found besides the mean endmembers.
   *
   * @param endmemberStd posterior standard deviation per endmember and channel (counts), R × B
   * @param noiseVariance posterior mean σ² (counts²)
   * @param scale the norm of the mean spectrum the data were divided by
   * @param noiseTrace σ² per sweep (chains × sweeps)
   * @param logLikelihood log-likelihood per sweep (chains × sweeps)
   * @param rHatNoise split-R̂ of σ² (NaN when too few draws)
   * @param rHatLogLikelihood split-R̂ of the log-likelihood
   */
  public record Posterior(double[][] endmemberStd, double noiseVariance, double scale, double[][] noiseTrace,
      double[][] logLikelihood, double rHatNoise, double rHatLogLikelihood) implements java.io.Serializable {
    static Posterior of(Blu.Outcome o) {
      return new Posterior(o.endmemberStd(), o.noiseVariance(), o.scale(), o.noiseTrace(), o.logLikelihood(),
          o.rHatNoise(), o.rHatLogLikelihood());
    }
  }

  public BluModel(String uid, Endmembers endmembers, long seed, Posterior posterior) {
    super(uid, endmembers, seed);
    this.posterior = posterior;
    sweeps = BluParams.sweeps(this);
    burnIn = BluParams.burnIn(this);
    chains = BluParams.chains(this);
    stdCol = BluParams.stdCol(this);
    BluParams.setDefaults(this, sweeps, burnIn, chains, stdCol);
  }

  @Override
  public String method() {
    return METHOD;
  }

  /** The chain's posterior summaries and traces. */
  public Posterior posterior() {
    return posterior;
  }

  public IntParam sweeps() {
    return sweeps;
  }

  public IntParam burnIn() {
    return burnIn;
  }

  public IntParam chains() {
    return chains;
  }

  public Param<String> stdCol() {
    return stdCol;
  }

  public String getStdCol() {
    return $(stdCol);
  }

  @Override
  public String summaryLine() {
    double[][] ll = posterior.logLikelihood();
    int sweepCount = ll[0].length;
    return String.format(Locale.ROOT, "BLU %d chain(s) x %d sweeps (%d burn-in): sigma^2 %.4g counts^2 "
        + "(last sweep %.4g), log-likelihood %.6g (last sweep), split-R-hat sigma^2 %.3f, log-likelihood %.3f",
        ll.length, sweepCount, (Integer) $(burnIn), posterior.noiseVariance(),
        posterior.noiseTrace()[ll.length - 1][sweepCount - 1], ll[ll.length - 1][sweepCount - 1],
        posterior.rHatNoise(), posterior.rHatLogLikelihood());
  }

  /** The per-pixel sampler of {@link #transform}, with this model's endmembers, σ², seed and schedule. */
  public BluApply sampler() {
    return new BluApply(endmembers().matrix(), posterior.noiseVariance(), getSeed(), (Integer) $(sweeps),
        (Integer) $(burnIn));
  }

  /** Lower and upper per-channel bands: posterior mean ∓ {@value Blu#BAND_SDS} standard deviations. */
  @Override
  public Map<String, Endmembers> endmemberBands() {
    double[][] mean = endmembers().matrix();
    double[][] lower = new double[mean.length][];
    double[][] upper = new double[mean.length][];
    for (int r = 0; r < mean.length; r++) {
      lower[r] = mean[r].clone();
      upper[r] = mean[r].clone();
      for (int c = 0; c < mean[r].length; c++) {
        lower[r][c] -= Blu.BAND_SDS * posterior.endmemberStd()[r][c];
        upper[r][c] += Blu.BAND_SDS * posterior.endmemberStd()[r][c];
      }
    }
    Map<String, Endmembers> bands = new LinkedHashMap<>();
    bands.put("lower", new Endmembers(lower, endmembers().names(), endmembers().axis()));
    bands.put("upper", new Endmembers(upper, endmembers().names(), endmembers().axis()));
    return bands;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    StructType out = super.transformSchema(schema);
    if (java.util.Arrays.asList(schema.fieldNames()).contains(getStdCol())) {
      throw new BadInputException("input dataset", "already has a column '" + getStdCol() + "' (set another "
          + "output column)");
    }
    return out.add(getStdCol(), PixelSchema.VALUES_TYPE, false);
  }

  @Override
  protected Dataset<Row> unmix(Dataset<?> dataset) {
    BluApply apply = sampler();
    int r = apply.components();
    PixelTransform.BlockKernel kernel = new PixelTransform.BlockKernel() {
      private static final long serialVersionUID = 1L;

      @Override
      public PixelTransform.BlockSolver newSolver() {
        BluApply.Solver solver = apply.newSolver();
        double[] mean = new double[r];
        double[] std = new double[r];
        return (y, count, keys, out, rmse) -> {
          int b = apply.channels();
          for (int p = 0; p < count; p++) {
            long key = KeyedRandom.pixel(keys[p].acquisition(), keys[p].y(), keys[p].x());
            rmse[p] = solver.solve(y, p * b, key, mean, 0, std, 0);
            System.arraycopy(mean, 0, out, p * 2 * r, r);
            System.arraycopy(std, 0, out, p * 2 * r + r, r);
          }
        };
      }

      @Override
      public boolean needsKeys() {
        return true;
      }
    };
    return PixelTransform.applyBlocks(dataset, apply.channels(), r, 256, kernel, getInputCol(), getOutputCol(),
        getRmseCol(), getStdCol(), describe());
  }

  @Override
  public BluModel copy(ParamMap extra) {
    return copyValues(new BluModel(uid(), endmembers(), getSeed(), posterior), extra).setParent(parent());
  }

  @Override
  protected void extraMetadata(ObjectNode extra) {
    ObjectNode p = extra.putObject("posterior");
    putFinite(p, "noiseVariance", posterior.noiseVariance());
    putFinite(p, "scale", posterior.scale());
    putFinite(p, "rHatNoise", posterior.rHatNoise());
    putFinite(p, "rHatLogLikelihood", posterior.rHatLogLikelihood());
    p.set("noiseTrace", MlPersistence.jsonRows(posterior.noiseTrace()));
    p.set("logLikelihoodTrace", MlPersistence.jsonRows(posterior.logLikelihood()));
  }

  /** JSON has no NaN: a value that is not finite is written as null (and read back as NaN). */
  private static void putFinite(ObjectNode node, String name, double value) {
    if (Double.isFinite(value)) {
      node.put(name, value);
    } else {
      node.putNull(name);
    }
  }

  @Override
  protected void writeExtraFiles(SparkSession spark, String path) throws IOException {
    Endmembers std = new Endmembers(posterior.endmemberStd(), endmembers().names(), endmembers().axis());
    spark.createDataFrame(StageWriter.rows(std), PixelSchema.ENDMEMBERS).coalesce(1).write()
        .parquet(path + "/" + STD_FOLDER);
  }

  public static MLReader<BluModel> read() {
    return reader(BluModel.class, saved -> {
      JsonNode p = saved.extra().path("posterior");
      Endmembers std;
      try {
        std = StageWriter.fromRows(saved.spark().read().parquet(saved.path() + "/" + STD_FOLDER).collectAsList());
      } catch (RuntimeException e) {
        throw new BadInputException(saved.path(), "BLU model has no readable " + STD_FOLDER + "/: " + e.getMessage(),
            e);
      }
      Posterior posterior = new Posterior(std.matrix(), p.path("noiseVariance").asDouble(Double.NaN),
          p.path("scale").asDouble(Double.NaN), traces(saved, p.path("noiseTrace"), "noiseTrace"),
          traces(saved, p.path("logLikelihoodTrace"), "logLikelihoodTrace"), p.path("rHatNoise").asDouble(Double.NaN),
          p.path("rHatLogLikelihood").asDouble(Double.NaN));
      return new BluModel(saved.uid(), saved.endmembers(), 0L, posterior);
    });
  }

  private static double[][] traces(Saved saved, JsonNode array, String name) {
    double[][] t = saved.rows(array, name);
    if (t.length == 0) {
      throw new BadInputException(saved.path(), "saved BLU model metadata has no '" + name + "' traces");
    }
    return t;
  }

  public static BluModel load(String path) {
    return read().load(path);
  }
}
