package org.eelsunmix.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.unmix.BssComponents;
import org.eelsunmix.unmix.FactorIca;
import org.eelsunmix.unmix.FastIca;
import org.eelsunmix.unmix.IndependentComponents;
import org.eelsunmix.unmix.SourceSeparation;

/**
 * A fitted {@link Ica}, in the domain it was fitted in ({@code domain} param, and {@code extra.domain} in the saved
 * metadata):
 *
 * <ul>
 *   <li>{@code factors}: the {@link BssComponents} of HyperSpy's BSS. {@link #transform} appends the pixel's BSS
 *   loadings {@code s = w⁻ᵀ V y}, the least-squares coefficients of the spectrum on the BSS factors, and the RMSE of
 *   {@code Σ s_r a_r}; the endmembers are the BSS factors. Saved: the SVD factors V and the unmixing matrix w in
 *   {@code extra} (the factors and loadings rule are rebuilt from them).</li>
 *   <li>{@code pixels}: the {@link IndependentComponents} (mean, unmixing matrix, mixing spectra, source means).
 *   {@link #transform} appends the raw sources {@code s = U y} and the RMSE of {@code m + Σ (s_r − c_r) a_r}; the
 *   endmembers are the mixing spectra. Saved: the unmixing matrix, mean and source means in {@code extra}. Models
 *   saved before the factor domain existed (no {@code extra.domain}) are of this kind and still load.</li>
 * </ul>
 *
 * {@code data/} holds the endmembers with the energy axis; all written atomically.
 */
public final class IcaModel extends UnmixingModel<IcaModel> {
  private static final long serialVersionUID = 1L;
  /** The method's registry name. */
  public static final String METHOD = "ica";
  private final SourceSeparation components;
  private final DoubleParam tol;
  private final IntParam maxIter;
  private final Param<String> domain;

  /** A model of either domain: {@link BssComponents} (factors) or {@link IndependentComponents} (pixels). */
  public IcaModel(String uid, SourceSeparation components, EnergyAxis axis) {
    super(uid, components.endmembers(axis), 0L);
    this.components = components;
    tol = new DoubleParam(this, "tol", "the estimator's FastICA stopping tolerance (with domain pixels and tol "
        + "unset, scikit-learn's 1e-4 was used)");
    maxIter = new IntParam(this, "maxIter", "FastICA iteration cap used by the fit");
    domain = Ica.domainParam(this);
    boolean factors = components instanceof BssComponents;
    setDefault(tol, factors ? FactorIca.DEFAULT_TOL : FastIca.DEFAULT_TOL);
    setDefault(maxIter, FastIca.DEFAULT_MAX_ITERATIONS);
    setDefault(domain, factors ? Ica.FACTORS : Ica.PIXELS);
  }

  @Override
  public String method() {
    return METHOD;
  }

  @Override
  public String summaryLine() {
    return String.format(java.util.Locale.ROOT, "FastICA (%s) %s after %d iterations",
        components instanceof BssComponents ? "on the SVD factors, HyperSpy's BSS" : "on the pixels",
        components.converged() ? "converged" : "did not converge", components.iterations());
  }

  /** The fitted decomposition: {@link BssComponents} (domain factors) or {@link IndependentComponents} (pixels). */
  public SourceSeparation components() {
    return components;
  }

  public Param<String> domain() {
    return domain;
  }

  public DoubleParam tol() {
    return tol;
  }

  public IntParam maxIter() {
    return maxIter;
  }

  @Override
  protected Dataset<Row> unmix(Dataset<?> dataset) {
    SourceSeparation ic = components;
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
    if (components instanceof BssComponents bss) {
      extra.put("domain", Ica.FACTORS);
      extra.set("unmixing", MlPersistence.jsonRows(bss.unmixing()));
      extra.set("svdFactors", MlPersistence.jsonRows(bss.svdFactors()));
    } else {
      IndependentComponents ic = (IndependentComponents) components;
      extra.put("domain", Ica.PIXELS);
      extra.set("unmixing", MlPersistence.jsonRows(ic.unmixing()));
      extra.set("mean", MlPersistence.jsonArray(ic.mean()));
      extra.set("sourceMeans", MlPersistence.jsonArray(ic.sourceMeans()));
    }
    extra.put("iterations", components.iterations());
    extra.put("converged", components.converged());
  }

  public static MLReader<IcaModel> read() {
    return reader(IcaModel.class, saved -> {
      Endmembers endmembers = saved.endmembers();
      JsonNode extra = saved.extra();
      double[][] unmixing = saved.rows(extra.path("unmixing"), "unmixing");
      int iterations = extra.path("iterations").asInt();
      boolean converged = extra.path("converged").asBoolean();
      String domain = extra.path("domain").asText(Ica.PIXELS); // older models: pixel domain
      SourceSeparation s;
      if (domain.equals(Ica.FACTORS)) {
        double[][] v = saved.rows(extra.path("svdFactors"), "svdFactors");
        if (unmixing.length != endmembers.count() || v.length != endmembers.count()) {
          throw new BadInputException(saved.path(), "model has " + unmixing.length + " unmixing rows and " + v.length
              + " SVD factors for " + endmembers.count() + " BSS factors");
        }
        s = BssComponents.of(v, unmixing, iterations, converged);
      } else if (domain.equals(Ica.PIXELS)) {
        if (unmixing.length != endmembers.count()) {
          throw new BadInputException(saved.path(), "model has " + unmixing.length + " unmixing rows for "
              + endmembers.count() + " mixing spectra");
        }
        s = new IndependentComponents(saved.doubles(extra.path("mean"), "mean"), unmixing, endmembers.matrix(),
            saved.doubles(extra.path("sourceMeans"), "sourceMeans"), iterations, converged);
      } else {
        throw new BadInputException(saved.path(), "saved ICA model has the unknown domain '" + domain + "'");
      }
      return new IcaModel(saved.uid(), s, endmembers.axis());
    });
  }

  public static IcaModel load(String path) {
    return read().load(path);
  }
}
