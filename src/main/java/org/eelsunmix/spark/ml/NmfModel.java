package org.eelsunmix.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.unmix.NmfAbundances;
import org.eelsunmix.unmix.NmfSolver;

/**
 * A fitted {@link NmfEstimator}: the NMF components H (the endmember spectra, on the scale of the counts: a pixel
 * is fitted by {@code Σ_t w_t H_t}) and the fit's {@link NmfSummary}. {@link #transform} appends to every row of
 * any pixel table with the same channel count the abundances for H fixed — scikit-learn's {@code NMF.transform},
 * pixel by pixel ({@link NmfAbundances}, with this model's {@code solver}, {@code tol} and {@code maxIter}; rows
 * taken {@value #BLOCK} at a time so that several pixels' steps interleave, each with its own bits) — and
 * the per-pixel RMSE over the channels of NMF's fit {@code y − w H}.
 *
 * <p>{@code sumToOne} (default false, as scikit-learn) turns each pixel's coefficients into the fractions of its
 * fitted counts that each endmember gives ({@code a_t = w_t s_t / Σ_u w_u s_u}, {@code s_t} the sum of endmember
 * t), which sum to one and compare with other methods' abundance maps; the RMSE is still that of {@code w H}.
 *
 * <p>Saved as MLlib-style {@code metadata/} (params, and the summary under {@code extra}) + {@code data/}
 * (endmembers as Parquet with the energy axis), written atomically.
 */
public final class NmfModel extends UnmixingModel<NmfModel> {
  private static final long serialVersionUID = 1L;
  /** The method's registry name. */
  public static final String METHOD = "nmf";
  /** Rows unmixed together by {@link #transform} (a few hundred kB of copied rows per task). */
  static final int BLOCK = 256;
  private final NmfSummary summary;
  private final Param<String> solver;
  private final Param<String> init;
  private final DoubleParam tol;
  private final IntParam maxIter;
  private final BooleanParam sumToOne;

  public NmfModel(String uid, Endmembers endmembers, NmfSummary summary) {
    super(uid, endmembers, 0L);
    this.summary = summary;
    solver = NmfParams.solver(this);
    init = NmfParams.init(this);
    tol = NmfParams.tol(this);
    maxIter = NmfParams.maxIter(this);
    sumToOne = NmfParams.sumToOne(this);
    NmfParams.setDefaults(this, solver, init, tol, maxIter, sumToOne);
  }

  @Override
  public String method() {
    return METHOD;
  }

  @Override
  public String summaryLine() {
    NmfSummary s = summary;
    return String.format(java.util.Locale.ROOT, "%s start, %d iterations (%s), relative residual %.3g", s.init(),
        s.iterations(), s.converged() ? "converged" : "iteration cap", s.relativeResidual());
  }

  /** How the fit went: start, iterations, convergence, objective per iteration. */
  public NmfSummary summary() {
    return summary;
  }

  public Param<String> solver() {
    return solver;
  }

  public Param<String> init() {
    return init;
  }

  public DoubleParam tol() {
    return tol;
  }

  public IntParam maxIter() {
    return maxIter;
  }

  public BooleanParam sumToOne() {
    return sumToOne;
  }

  public NmfModel setSumToOne(boolean value) {
    return (NmfModel) set(sumToOne, value);
  }

  public NmfModel setTol(double value) {
    return (NmfModel) set(tol, value);
  }

  public NmfModel setMaxIter(int value) {
    return (NmfModel) set(maxIter, value);
  }

  /** The per-pixel kernel {@link #transform} runs, with this model's H and params. */
  public NmfAbundances abundanceSolver() {
    Endmembers endmembers = endmembers();
    int r = endmembers.count();
    int b = endmembers.channels();
    double[] h = new double[r * b];
    double[][] m = endmembers.matrix();
    for (int t = 0; t < r; t++) {
      System.arraycopy(m[t], 0, h, t * b, b);
    }
    return new NmfAbundances(NmfSolver.byName($(solver)), h, r, (Double) $(tol), (Integer) $(maxIter),
        (Boolean) $(sumToOne));
  }

  @Override
  protected Dataset<Row> unmix(Dataset<?> dataset) {
    NmfAbundances kernel = abundanceSolver();
    int channels = kernel.channels();
    if (getRmseCol() == null) {
      PixelTransform.Kernel solvers = () -> {
        double[] work = new double[kernel.workLength()];
        return (y, a) -> Math.sqrt(kernel.solve(y, 0, a, 0, work) / channels);
      };
      return PixelTransform.apply(dataset, channels, kernel.components(), solvers, getInputCol(), getOutputCol(),
          null, describe());
    }
    // Blocks of pixels, so that the kernel interleaves several pixels' dependent steps (NmfAbundances#solveBlock).
    return PixelTransform.applyBlocks(dataset, channels, kernel.components(), BLOCK, new Blocks(kernel),
        getInputCol(), getOutputCol(), getRmseCol(), describe());
  }

  /** The result columns alone; from the Parquet pages of a plain scan of a pixel table when it has an RMSE column. */
  @Override
  protected Dataset<Row> unmixResults(Dataset<?> dataset) {
    if (getRmseCol() == null) {
      return super.unmixResults(dataset);
    }
    NmfAbundances kernel = abundanceSolver();
    return PixelTransform.resultBlocks(dataset, kernel.channels(), kernel.components(), BLOCK, new Blocks(kernel),
        getInputCol(), getOutputCol(), getRmseCol(), null, describe());
  }

  /**
   * NMF abundances of blocks, RMSE over channels. {@link NmfAbundances#solveBlock} gives each pixel the bits of a
   * pixel-by-pixel solve, so a pixel's result does not depend on its block: a Parquet scan's column batches may be
   * read directly ({@link PixelTransform.BlockKernel#blockIndependent()}).
   */
  private record Blocks(NmfAbundances kernel) implements PixelTransform.BlockKernel {
    @Override
    public PixelTransform.BlockSolver newSolver() {
      double[] work = new double[kernel.blockWorkLength()];
      int channels = kernel.channels();
      return (y, count, keys, a, rmse) -> {
        kernel.solveBlock(y, count, a, rmse, work);
        for (int p = 0; p < count; p++) {
          rmse[p] = Math.sqrt(rmse[p] / channels);
        }
      };
    }

    @Override
    public boolean blockIndependent() {
      return true;
    }
  }

  @Override
  public NmfModel copy(ParamMap extra) {
    return copyValues(new NmfModel(uid(), endmembers(), summary), extra).setParent(parent());
  }

  @Override
  protected void extraMetadata(ObjectNode extra) {
    ObjectNode s = extra.putObject("summary");
    s.put("init", summary.init());
    s.put("iterations", summary.iterations());
    s.put("converged", summary.converged());
    s.put("objective", summary.objective());
    s.put("relativeResidual", summary.relativeResidual());
    s.set("objectiveHistory", MlPersistence.jsonArray(summary.objectiveHistory()));
  }

  public static MLReader<NmfModel> read() {
    return reader(NmfModel.class, saved -> {
      JsonNode s = saved.extra().path("summary");
      NmfSummary summary = new NmfSummary(s.path("init").asText(), s.path("iterations").asInt(),
          s.path("converged").asBoolean(), saved.doubles(s.path("objectiveHistory"), "objectiveHistory"),
          s.path("objective").asDouble(Double.NaN), s.path("relativeResidual").asDouble(Double.NaN));
      return new NmfModel(saved.uid(), saved.endmembers(), summary);
    });
  }

  public static NmfModel load(String path) {
    return read().load(path);
  }
}
