package org.eelsunmix.spark.ml;

import org.eelsunmix.core.Unmixing;
import org.eelsunmix.core.SpectrumImage;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.storage.StorageLevel;
import org.eelsunmix.spark.PixelRows;
import org.eelsunmix.unmix.BssComponents;
import org.eelsunmix.unmix.FactorIca;
import org.eelsunmix.unmix.FastIca;
import org.eelsunmix.unmix.IcaStatistics;
import org.eelsunmix.unmix.IcaWhitening;
import org.eelsunmix.unmix.IndependentComponents;
import org.eelsunmix.unmix.SpectralMoments;
import org.eelsunmix.spark.OrderedMerge;

/**
 * ICA as a Spark ML estimator over pixel rows, in one of two domains (param {@code domain}):
 *
 * <p><b>{@code factors}</b> (default): HyperSpy's {@code decomposition()} + {@code blind_source_separation(R)}
 * ({@link FactorIca}): FastICA (Hyvärinen 1999) on the R uncentred SVD factors differentiated along energy, the
 * channels being the samples. The fit is one {@code treeAggregate} of {@link SpectralMoments} (B × B on the driver)
 * and driver work on R × B matrices; no pixel is collected. The model's endmembers are the BSS factors; on any pixel
 * its abundances are the BSS loadings, the least-squares coefficients of the spectrum on the BSS factors
 * ({@link BssComponents}). {@code tol} defaults to HyperSpy's 1e-10.
 *
 * <p><b>{@code pixels}</b>: scikit-learn's FastICA with its defaults on the pixels ({@link FastIca}); {@code tol}
 * left unset means scikit-learn's 1e-4:
 *
 * <ol>
 *   <li>one {@code treeReduce} of {@link SpectralMoments} → the PCA whitening ({@link IcaWhitening});</li>
 *   <li>one pass whitening every pixel to n numbers, cached (n doubles per pixel, one array per partition, not the
 *   spectra);</li>
 *   <li>per FastICA iteration, one merge (in partition order, {@link OrderedMerge}) of {@link IcaStatistics} over the cached partitions; the
 *   driver holds only n × n matrices.</li>
 * </ol>
 *
 * The returned {@link IcaModel} appends the raw sources (or BSS loadings) to any pixel table of the same channel
 * count. Sums are taken in another order than in memory, so the result agrees with {@link FastIca#fit} or
 * {@link FactorIca#fit} on the same seed to rounding, whatever the partitioning.
 */
public final class Ica extends UnmixingEstimator<Ica, IcaModel> {
  private static final long serialVersionUID = 1L;
  private final DoubleParam tol;
  private final IntParam maxIter;
  private final Param<String> domain;

  /** FastICA on the SVD factors, as HyperSpy's {@code blind_source_separation()} (the default). */
  public static final String FACTORS = "factors";
  /** FastICA on the pixels, as scikit-learn's {@code FastICA().fit(pixels)}. */
  public static final String PIXELS = "pixels";

  public Ica() {
    this(Identifiable$.MODULE$.randomUID("ica"));
  }

  public Ica(String uid) {
    super(uid);
    tol = new DoubleParam(this, "tol", "FastICA stopping tolerance on max |1 - |diag(W_new W_old^T)|| (> 0; default "
        + "HyperSpy's 1e-10; with domain pixels, unset means scikit-learn's 1e-4)", ParamValidators.gt(0));
    maxIter = new IntParam(this, "maxIter", "FastICA iteration cap (>= 1)", ParamValidators.gtEq(1));
    domain = domainParam(this);
    setDefault(tol, FactorIca.DEFAULT_TOL);
    setDefault(maxIter, FastIca.DEFAULT_MAX_ITERATIONS);
    setDefault(domain, FACTORS);
  }

  /** The {@code domain} param of an ICA stage (estimator or model). */
  static Param<String> domainParam(org.apache.spark.ml.param.Params owner) {
    return new Param<>(owner, "domain", "what FastICA separates: factors (HyperSpy's blind_source_separation of the "
        + "SVD factors, differentiated along energy) or pixels (scikit-learn's FastICA on the spectra)",
        ParamValidators.inArray(List.of(FACTORS, PIXELS)));
  }

  @Override
  public String method() {
    return IcaModel.METHOD;
  }

  public DoubleParam tol() {
    return tol;
  }

  public IntParam maxIter() {
    return maxIter;
  }

  public Param<String> domain() {
    return domain;
  }

  public Ica setDomain(String value) {
    return with(domain, value);
  }

  public String getDomain() {
    return $(domain);
  }

  public Ica setTol(double value) {
    return with(tol, value);
  }

  public Ica setMaxIter(int value) {
    return with(maxIter, value);
  }

  public double getTol() {
    return (Double) $(tol);
  }

  public int getMaxIter() {
    return (Integer) $(maxIter);
  }

  /** The in-memory kernel's options these params stand for (the tolerance the domain uses when tol is unset). */
  public FastIca.Options options() {
    double t = getDomain().equals(PIXELS) && !isSet(tol) ? FastIca.DEFAULT_TOL : getTol();
    return new FastIca.Options(getNumEndmembers(), t, getMaxIter(), getSeed());
  }

  @Override
  public void validateParams() {
    options();
  }

  /**
   * ICA in memory: HyperSpy's BSS ({@link FactorIca}) or, with domain {@code pixels}, FastICA on the spectra;
   * then the explicit, heuristic non-negative, sum-to-one rescaling of the sources
   * ({@link org.eelsunmix.unmix.SourceSeparation#proportions}).
   */
  @Override
  protected Unmixing trainInMemory(SpectrumImage image) {
    FastIca.Options o = options();
    return getDomain().equals(FACTORS) ? FactorIca.fit(image, o).proportions(image)
        : FastIca.fit(image, o).proportions(image);
  }

  @Override
  protected IcaModel train(Dataset<?> dataset) {
    SpectraInput input = SpectraInput.of(dataset, getInputCol());
    int channels = input.channels();
    FastIca.Options o = options();
    requireEndmembersFit(channels);
    if (getDomain().equals(FACTORS)) {
      return new IcaModel(uid(), FactorIca.fit(input.moments(), input.axis().scale(), o), input.axis());
    }
    IcaWhitening whitening = IcaWhitening.fromMoments(input.moments(), o.components());
    int n = whitening.dims();
    PixelRows rows = input.rows();
    JavaRDD<double[]> whitened = input.pixels().mapPartitions((Iterator<InternalRow> it) -> {
      float[] y = new float[channels];
      double[] z = new double[n];
      double[] block = new double[1024 * n];
      int used = 0;
      while (it.hasNext()) {
        rows.spectrum(it.next(), y);
        whitening.whiten(y, 0, z);
        if (used + n > block.length) {
          block = java.util.Arrays.copyOf(block, block.length * 2);
        }
        System.arraycopy(z, 0, block, used, n);
        used += n;
      }
      return Collections.singletonList(java.util.Arrays.copyOf(block, used)).iterator();
    }).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      IndependentComponents ic = FastIca.iterate(whitening, o, w -> OrderedMerge.reduce(whitened.map(block -> {
        IcaStatistics s = new IcaStatistics(w, n);
        for (int p = 0; p < block.length; p += n) {
          s.add(block, p);
        }
        return s;
      }), IcaStatistics::merge));
      return new IcaModel(uid(), ic, input.axis());
    } finally {
      whitened.unpersist(false);
    }
  }

  public static MLReader<Ica> read() {
    return MlPersistence.paramsOnlyReader(Ica.class);
  }

  public static Ica load(String path) {
    return read().load(path);
  }
}
