package org.eelsunmix.spark.ml;

import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.unmix.HySime;
import org.eelsunmix.unmix.Pca;
import org.eelsunmix.unmix.ScreeElbow;
import org.eelsunmix.unmix.SpectralMoments;

/**
 * PCA of spectra with the scree and two estimates of the number of endmembers, as a Spark ML estimator over pixel
 * rows: one {@code treeReduce} of {@link SpectralMoments} (B×B on the driver, never the pixels) gives
 * {@link Pca} (centred or not), {@link HySime} (from the uncentred correlation; optional, it costs a few B×B×B
 * products) and the {@link ScreeElbow}. The {@link SpectralPcaModel} projects pixels on the principal axes.
 */
public final class SpectralPca extends Estimator<SpectralPcaModel> implements MLWritable {
  private static final long serialVersionUID = 1L;
  private final String uid;
  private final IntParam numComponents;
  private final IntParam screeLength;
  private final BooleanParam centred;
  private final BooleanParam hysime;
  private final Param<String> inputCol;
  private final Param<String> outputCol;

  public SpectralPca() {
    this(Identifiable$.MODULE$.randomUID("spectralPca"));
  }

  public SpectralPca(String uid) {
    this.uid = uid;
    numComponents = new IntParam(this, "numComponents", "principal axes kept for projection (>= 1)",
        ParamValidators.gtEq(1));
    screeLength = new IntParam(this, "screeLength", "eigenvalues listed in the scree (>= 3; at most the channel "
        + "count is used)", ParamValidators.gtEq(3));
    centred = new BooleanParam(this, "centred", "decompose the covariance (true) or the uncentred second moment");
    hysime = new BooleanParam(this, "hysime", "also estimate the signal subspace by HySime");
    inputCol = SharedParams.inputCol(this);
    outputCol = new Param<>(this, "outputCol", "principal component scores column written: array<double>");
    setDefault(numComponents, 3);
    setDefault(screeLength, 20);
    setDefault(centred, true);
    setDefault(hysime, true);
    setDefault(inputCol, "spectrum");
    setDefault(outputCol, "pca");
  }

  @Override
  public String uid() {
    return uid;
  }

  public IntParam numComponents() {
    return numComponents;
  }

  public IntParam screeLength() {
    return screeLength;
  }

  public BooleanParam centred() {
    return centred;
  }

  public BooleanParam hysime() {
    return hysime;
  }

  public Param<String> inputCol() {
    return inputCol;
  }

  public Param<String> outputCol() {
    return outputCol;
  }

  public SpectralPca setNumComponents(int value) {
    set(numComponents, value);
    return this;
  }

  public SpectralPca setScreeLength(int value) {
    set(screeLength, value);
    return this;
  }

  public SpectralPca setCentred(boolean value) {
    set(centred, value);
    return this;
  }

  public SpectralPca setHysime(boolean value) {
    set(hysime, value);
    return this;
  }

  public SpectralPca setInputCol(String value) {
    set(inputCol, value);
    return this;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return SpectralPcaModel.outputSchema(schema, $(inputCol), $(outputCol));
  }

  @Override
  public SpectralPcaModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    SpectraInput input = SpectraInput.of(dataset, $(inputCol));
    int channels = input.channels();
    int k = (Integer) $(numComponents);
    if (k > channels) {
      throw new BadInputException("numComponents", "asked for " + k + " components but the spectra have only "
          + channels + " channels");
    }
    int scree = Math.max(k, Math.min((Integer) $(screeLength), channels));
    SpectralMoments moments = input.moments();
    Pca pca = Pca.fromMoments(moments, k, scree, (Boolean) $(centred));
    HySime h = (Boolean) $(hysime) ? HySime.fromMoments(moments) : null;
    int elbow = scree >= 3 ? ScreeElbow.estimate(pca.eigenvalues(), scree) : -1;
    SpectralPcaModel model = new SpectralPcaModel(uid, pca, input.axis(), h, h == null ? -1 : h.k(), elbow);
    copyValues(model, extractParamMap());
    return model.setParent(this);
  }

  @Override
  public SpectralPca copy(ParamMap extra) {
    return (SpectralPca) defaultCopy(extra);
  }

  @Override
  public MLWriter write() {
    return new StageWriter(this, null, null, null);
  }

  public static MLReader<SpectralPca> read() {
    return MlPersistence.paramsOnlyReader(SpectralPca.class);
  }

  public static SpectralPca load(String path) {
    return read().load(path);
  }
}
