package org.eelsunmix.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.unmix.FastIca;
import org.eelsunmix.unmix.IndependentComponents;

/**
 * A fitted {@link Ica}: the {@link IndependentComponents} (mean, unmixing matrix, mixing spectra, source means).
 * {@link #transform} appends to every row the pixel's sources {@code s = U y} (n values, the raw ICA sources; see
 * {@link IndependentComponents} for their convention) and the RMSE over
 * channels of the ICA reconstruction {@code m + Σ (s_r − c_r) a_r}. Its {@link #endmembers()} are the mixing
 * spectra. Saved as {@code metadata/} (params; the unmixing matrix, mean and source means in {@code extra}) and
 * {@code data/} (the mixing spectra with the energy axis), atomically.
 */
public final class IcaModel extends UnmixingModel<IcaModel> {
  private static final long serialVersionUID = 1L;
  /** The method's registry name. */
  public static final String METHOD = "ica";
  private final IndependentComponents components;
  private final DoubleParam tol;
  private final IntParam maxIter;

  public IcaModel(String uid, IndependentComponents components, EnergyAxis axis) {
    super(uid, components.endmembers(axis), 0L);
    this.components = components;
    tol = new DoubleParam(this, "tol", "FastICA stopping tolerance used by the fit");
    maxIter = new IntParam(this, "maxIter", "FastICA iteration cap used by the fit");
    setDefault(tol, FastIca.DEFAULT_TOL);
    setDefault(maxIter, FastIca.DEFAULT_MAX_ITERATIONS);
  }

  @Override
  public String method() {
    return METHOD;
  }

  @Override
  public String summaryLine() {
    return String.format(java.util.Locale.ROOT, "FastICA %s after %d iterations",
        components.converged() ? "converged" : "did not converge", components.iterations());
  }

  /** The fitted decomposition. */
  public IndependentComponents components() {
    return components;
  }

  public DoubleParam tol() {
    return tol;
  }

  public IntParam maxIter() {
    return maxIter;
  }

  @Override
  protected Dataset<Row> unmix(Dataset<?> dataset) {
    IndependentComponents ic = components;
    int channels = ic.channels();
    PixelTransform.Kernel kernel = () -> (y, s) -> {
      ic.sources(y, 0, s);
      return Math.sqrt(ic.residualSquared(y, 0, s) / channels);
    };
    return PixelTransform.apply(dataset, channels, ic.count(), kernel, getInputCol(), getOutputCol(),
        getRmseCol(), describe());
  }

  @Override
  public IcaModel copy(ParamMap extra) {
    return copyValues(new IcaModel(uid(), components, endmembers().axis()), extra).setParent(parent());
  }

  @Override
  protected void extraMetadata(ObjectNode extra) {
    ArrayNode unmixing = extra.putArray("unmixing");
    for (double[] row : components.unmixing()) {
      unmixing.add(array(row));
    }
    extra.set("mean", array(components.mean()));
    extra.set("sourceMeans", array(components.sourceMeans()));
    extra.put("iterations", components.iterations());
    extra.put("converged", components.converged());
  }

  private static ArrayNode array(double[] values) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    for (double v : values) {
      a.add(v);
    }
    return a;
  }

  public static MLReader<IcaModel> read() {
    return reader(IcaModel.class, saved -> {
      Endmembers mixing = saved.endmembers();
      JsonNode extra = saved.extra();
      JsonNode u = extra.path("unmixing");
      if (u.size() != mixing.count()) {
        throw new BadInputException(saved.path(), "model has " + u.size() + " unmixing rows for " + mixing.count()
            + " mixing spectra");
      }
      double[][] unmixing = new double[u.size()][];
      for (int r = 0; r < unmixing.length; r++) {
        unmixing[r] = saved.doubles(u.get(r), "unmixing");
      }
      IndependentComponents ic = new IndependentComponents(saved.doubles(extra.path("mean"), "mean"), unmixing,
          mixing.matrix(), saved.doubles(extra.path("sourceMeans"), "sourceMeans"), extra.path("iterations").asInt(),
          extra.path("converged").asBoolean());
      return new IcaModel(saved.uid(), ic, mixing.axis());
    });
  }

  public static IcaModel load(String path) {
    return read().load(path);
  }
}
