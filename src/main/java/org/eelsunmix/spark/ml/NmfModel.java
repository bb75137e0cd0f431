package org.eelsunmix.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.unmix.NmfAbundances;
import org.eelsunmix.unmix.NmfSolver;

/**
 * A fitted {@link NmfEstimator}: the NMF components H (the endmember spectra, on the scale of the counts: a pixel
 * is fitted by {@code Σ_t w_t H_t}) and the fit's {@link NmfSummary}. {@link #transform} appends to every row of
 * any pixel table with the same channel count the abundances for H fixed — scikit-learn's {@code NMF.transform},
 * pixel by pixel ({@link NmfAbundances}, with this model's {@code solver}, {@code tol} and {@code maxIter}) — and
 * the per-pixel RMSE over the channels of NMF's fit {@code y − w H}.
 *
 * <p>{@code sumToOne} (default false, as scikit-learn) turns each pixel's coefficients into the fractions of its
 * fitted counts that each endmember gives ({@code a_t = w_t s_t / Σ_u w_u s_u}, {@code s_t} the sum of endmember
 * t), which sum to one and compare with other methods' abundance maps; the RMSE is still that of {@code w H}.
 *
 * <p>Saved as MLlib-style {@code metadata/} (params, and the summary under {@code extra}) + {@code data/}
 * (endmembers as Parquet with the energy axis), written atomically.
 */
public final class NmfModel extends Model<NmfModel> implements MLWritable {
  private static final long serialVersionUID = 1L;
  private final String uid;
  private final Endmembers endmembers;
  private final NmfSummary summary;
  private final IntParam numEndmembers;
  private final LongParam seed;
  private final Param<String> solver;
  private final Param<String> init;
  private final DoubleParam tol;
  private final IntParam maxIter;
  private final BooleanParam sumToOne;
  private final Param<String> inputCol;
  private final Param<String> outputCol;
  private final Param<String> rmseCol;

  public NmfModel(String uid, Endmembers endmembers, NmfSummary summary) {
    this.uid = uid;
    this.endmembers = endmembers;
    this.summary = summary;
    numEndmembers = UnmixingParams.numEndmembers(this);
    seed = UnmixingParams.seed(this);
    solver = NmfParams.solver(this);
    init = NmfParams.init(this);
    tol = NmfParams.tol(this);
    maxIter = NmfParams.maxIter(this);
    sumToOne = NmfParams.sumToOne(this);
    inputCol = UnmixingParams.inputCol(this);
    outputCol = UnmixingParams.outputCol(this);
    rmseCol = UnmixingParams.rmseCol(this);
    setDefault(numEndmembers, endmembers.count());
    setDefault(seed, 0L);
    NmfParams.setDefaults(this, solver, init, tol, maxIter, sumToOne);
    setDefault(inputCol, "spectrum");
    setDefault(outputCol, "abundances");
    setDefault(rmseCol, "rmse");
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The endmember spectra H (R × B, with the energy axis), on the scale of the counts. */
  public Endmembers endmembers() {
    return endmembers;
  }

  /** How the fit went: start, iterations, convergence, objective per iteration. */
  public NmfSummary summary() {
    return summary;
  }

  public IntParam numEndmembers() {
    return numEndmembers;
  }

  public LongParam seed() {
    return seed;
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

  public Param<String> inputCol() {
    return inputCol;
  }

  public Param<String> outputCol() {
    return outputCol;
  }

  public Param<String> rmseCol() {
    return rmseCol;
  }

  public NmfModel setSumToOne(boolean value) {
    set(sumToOne, value);
    return this;
  }

  public NmfModel setTol(double value) {
    set(tol, value);
    return this;
  }

  public NmfModel setMaxIter(int value) {
    set(maxIter, value);
    return this;
  }

  public NmfModel setInputCol(String value) {
    set(inputCol, value);
    return this;
  }

  public NmfModel setOutputCol(String value) {
    set(outputCol, value);
    return this;
  }

  /** The per-pixel kernel {@link #transform} runs, with this model's H and params. */
  public NmfAbundances abundanceSolver() {
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
  public StructType transformSchema(StructType schema) {
    return UnmixingParams.outputSchema(schema, $(inputCol), $(outputCol), $(rmseCol));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    NmfAbundances kernel = abundanceSolver();
    int channels = kernel.channels();
    PixelTransform.Kernel solvers = () -> {
      double[] work = new double[kernel.workLength()];
      return (y, a) -> Math.sqrt(kernel.solve(y, 0, a, 0, work) / channels);
    };
    return PixelTransform.apply(dataset, channels, kernel.components(), solvers, $(inputCol), $(outputCol),
        $(rmseCol), "nmf " + uid);
  }

  @Override
  public NmfModel copy(ParamMap extra) {
    NmfModel m = new NmfModel(uid, endmembers, summary);
    return copyValues(m, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    ObjectNode extra = JsonNodeFactory.instance.objectNode();
    extra.put("method", "nmf");
    ObjectNode s = extra.putObject("summary");
    s.put("init", summary.init());
    s.put("iterations", summary.iterations());
    s.put("converged", summary.converged());
    s.put("objective", summary.objective());
    s.put("relativeResidual", summary.relativeResidual());
    ArrayNode history = s.putArray("objectiveHistory");
    for (double v : summary.objectiveHistory()) {
      history.add(v);
    }
    return new StageWriter(this, endmembers, extra);
  }

  public static MLReader<NmfModel> read() {
    return new MLReader<>() {
      @Override
      public NmfModel load(String path) {
        JsonNode meta = MlPersistence.readMetadata(sparkSession(), path, NmfModel.class);
        JsonNode s = meta.path("extra").path("summary");
        double[] history = new double[s.path("objectiveHistory").size()];
        for (int k = 0; k < history.length; k++) {
          history[k] = s.path("objectiveHistory").get(k).asDouble();
        }
        NmfSummary summary = new NmfSummary(s.path("init").asText(), s.path("iterations").asInt(),
            s.path("converged").asBoolean(), history, s.path("objective").asDouble(Double.NaN),
            s.path("relativeResidual").asDouble(Double.NaN));
        NmfModel m = new NmfModel(meta.path("uid").asText(), StageWriter.readEndmembers(sparkSession(), path),
            summary);
        MlPersistence.restoreParams(m, meta);
        return m;
      }
    };
  }

  public static NmfModel load(String path) {
    return read().load(path);
  }
}
