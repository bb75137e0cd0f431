package org.eelsunmix.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.apache.spark.ml.Model;
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
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.unmix.IndependentComponents;

/**
 * A fitted {@link Ica}: the {@link IndependentComponents} (mean, unmixing matrix, mixing spectra, source means).
 * {@link #transform} appends to every row the pixel's sources {@code s = U y} (n values, the raw ICA sources; see
 * {@link IndependentComponents} for their convention) and the RMSE over
 * channels of the ICA reconstruction {@code m + Σ (s_r − c_r) a_r}. Its {@link #endmembers()} are the mixing
 * spectra. Saved as {@code metadata/} (params; the unmixing matrix, mean and source means in {@code extra}) and
 * {@code data/} (the mixing spectra with the energy axis), atomically.
 */
public final class IcaModel extends Model<IcaModel> implements MLWritable {
  private static final long serialVersionUID = 1L;
  private final String uid;
  private final IndependentComponents components;
  private final EnergyAxis axis;
  private final IntParam numEndmembers;
  private final LongParam seed;
  private final DoubleParam tol;
  private final IntParam maxIter;
  private final Param<String> inputCol;
  private final Param<String> outputCol;
  private final Param<String> rmseCol;

  public IcaModel(String uid, IndependentComponents components, EnergyAxis axis) {
    this.uid = uid;
    this.components = components;
    this.axis = axis;
    numEndmembers = UnmixingParams.numEndmembers(this);
    seed = UnmixingParams.seed(this);
    tol = new DoubleParam(this, "tol", "FastICA stopping tolerance used by the fit");
    maxIter = new IntParam(this, "maxIter", "FastICA iteration cap used by the fit");
    inputCol = UnmixingParams.inputCol(this);
    outputCol = UnmixingParams.outputCol(this);
    rmseCol = UnmixingParams.rmseCol(this);
    setDefault(numEndmembers, components.count());
    setDefault(seed, 0L);
    setDefault(tol, org.eelsunmix.unmix.FastIca.DEFAULT_TOL);
    setDefault(maxIter, org.eelsunmix.unmix.FastIca.DEFAULT_MAX_ITERATIONS);
    setDefault(inputCol, "spectrum");
    setDefault(outputCol, "abundances");
    setDefault(rmseCol, "rmse");
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The fitted decomposition. */
  public IndependentComponents components() {
    return components;
  }

  /** The mixing spectra {@code ic0, ic1, …} on the fitted energy axis. */
  public Endmembers endmembers() {
    return components.endmembers(axis);
  }

  public IntParam numEndmembers() {
    return numEndmembers;
  }

  public LongParam seed() {
    return seed;
  }

  public DoubleParam tol() {
    return tol;
  }

  public IntParam maxIter() {
    return maxIter;
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

  public IcaModel setInputCol(String value) {
    set(inputCol, value);
    return this;
  }

  public IcaModel setOutputCol(String value) {
    set(outputCol, value);
    return this;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return UnmixingParams.outputSchema(schema, $(inputCol), $(outputCol), $(rmseCol));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    IndependentComponents ic = components;
    int channels = ic.channels();
    PixelTransform.Kernel kernel = () -> (y, s) -> {
      ic.sources(y, 0, s);
      double rmse = Math.sqrt(ic.residualSquared(y, 0, s) / channels);
      return rmse;
    };
    return PixelTransform.apply(dataset, channels, ic.count(), kernel, $(inputCol), $(outputCol), $(rmseCol),
        "ica " + uid);
  }

  @Override
  public IcaModel copy(ParamMap extra) {
    IcaModel m = new IcaModel(uid, components, axis);
    return copyValues(m, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode extra = f.objectNode();
    extra.put("method", "ica");
    ArrayNode unmixing = extra.putArray("unmixing");
    for (double[] row : components.unmixing()) {
      unmixing.add(array(f, row));
    }
    extra.set("mean", array(f, components.mean()));
    extra.set("sourceMeans", array(f, components.sourceMeans()));
    extra.put("iterations", components.iterations());
    extra.put("converged", components.converged());
    return new StageWriter(this, endmembers(), extra);
  }

  private static ArrayNode array(JsonNodeFactory f, double[] values) {
    ArrayNode a = f.arrayNode();
    for (double v : values) {
      a.add(v);
    }
    return a;
  }

  private static double[] values(JsonNode node, String path, String name) {
    if (!node.isArray()) {
      throw new BadInputException(path, "model metadata has no '" + name + "' array");
    }
    double[] v = new double[node.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = node.get(i).asDouble();
    }
    return v;
  }

  public static MLReader<IcaModel> read() {
    return new MLReader<>() {
      @Override
      public IcaModel load(String path) {
        JsonNode meta = MlPersistence.readMetadata(sparkSession(), path, IcaModel.class);
        List<Row> rows = StageWriter.readData(sparkSession(), path, "mixing spectra");
        Endmembers mixing = StageWriter.fromRows(rows);
        JsonNode extra = meta.path("extra");
        JsonNode u = extra.path("unmixing");
        if (u.size() != mixing.count()) {
          throw new BadInputException(path, "model has " + u.size() + " unmixing rows for " + mixing.count()
              + " mixing spectra");
        }
        double[][] unmixing = new double[u.size()][];
        for (int r = 0; r < unmixing.length; r++) {
          unmixing[r] = values(u.get(r), path, "unmixing");
        }
        IndependentComponents ic = new IndependentComponents(values(extra.path("mean"), path, "mean"), unmixing,
            mixing.matrix(), values(extra.path("sourceMeans"), path, "sourceMeans"), extra.path("iterations").asInt(),
            extra.path("converged").asBoolean());
        IcaModel m = new IcaModel(meta.path("uid").asText(), ic, mixing.axis());
        MlPersistence.restoreParams(m, meta);
        return m;
      }
    };
  }

  public static IcaModel load(String path) {
    return read().load(path);
  }
}
