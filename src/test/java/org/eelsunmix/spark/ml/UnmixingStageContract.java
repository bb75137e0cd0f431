package org.eelsunmix.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.spark.ImageRows;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SpectrumColumn;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract every unmixing stage keeps, checked once for all of them (the idea of EJML's
 * {@code GenericLinearSolverChecks_DDRM}): each method's test extends this class and supplies only its estimator
 * (small settings), the in-memory kernel's endmembers for an image and the in-memory transform of a model. Checked:
 *
 * <ul>
 *   <li>the distributed fit equals the in-memory kernel for 1, 2 and 7 partitions of a real Parquet table;</li>
 *   <li>a second save without overwrite throws, with overwrite it replaces (estimator and model);</li>
 *   <li>loading keeps the class, uid and params; {@link UnmixingModel#load} finds any model by its metadata;</li>
 *   <li>the saved model applied to a second acquisition equals the in-memory transform of it;</li>
 *   <li>a missing or mistyped input column is refused naming the column;</li>
 *   <li>a Spark ML {@code Pipeline} holding the estimator, and the fitted {@code PipelineModel}, save and load.</li>
 * </ul>
 *
 * The two acquisitions are 24 × 20 co-ru-pt images (not square, so the spatial methods see both edges).
 *
 * @param <M> the model the stage fits
 */
public abstract class UnmixingStageContract<M extends UnmixingModel<M>> {
  /** The acquisition the model is fitted on, and the next one of the "series" it is applied to. */
  protected static final SpectrumImage FIRST = image(0);
  protected static final SpectrumImage SECOND = image(1);
  private static final Map<Class<?>, UnmixingModel<?>> FITTED = new HashMap<>();
  private static Path tables;

  /** The shared test session exists before any check saves a stage (writers use the active session). */
  @org.junit.jupiter.api.BeforeAll
  static void session() {
    TestSpark.session();
  }

  /** The estimator under test, with settings small enough for a unit test; a new one each call. */
  protected abstract UnmixingEstimator<?, M> estimator();

  /** The endmembers (R × B) the in-memory kernel finds on {@code image} with the estimator's settings. */
  protected abstract double[][] referenceEndmembers(SpectrumImage image);

  /** The abundances (H × W × R, raster order) the in-memory kernel gives {@code image} with {@code model}. */
  protected abstract double[] referenceTransform(M model, SpectrumImage image);

  /** Relative tolerance of the distributed results against the in-memory ones (sums in another order). */
  protected double tolerance() {
    return 1e-9;
  }

  @ParameterizedTest(name = "{0} partitions")
  @ValueSource(ints = {1, 2, 7})
  void distributedFitEqualsTheInMemoryKernel(int partitions) {
    M model = estimator().fit(table(FIRST, partitions));
    assertRowsClose(referenceEndmembers(FIRST), model.endmembers().matrix(), tolerance(), "endmembers, " + partitions
        + " partitions");
    assertEquals(estimator().method(), model.method());
  }

  @Test
  void theSavedModelAppliesToTheNextAcquisition(@TempDir Path dir) throws Exception {
    M model = fitted();
    String path = dir.resolve("model").toString();
    model.write().save(path);
    UnmixingModel<?> loaded = UnmixingModel.load(TestSpark.session(), path);
    assertSame(model.getClass(), loaded.getClass());
    @SuppressWarnings("unchecked")
    M typed = (M) loaded;
    double[] expected = referenceTransform(typed, SECOND);
    double[] actual = maps(loaded.transform(table(SECOND, 3)), SECOND, model.getNumEndmembers());
    double scale = 0;
    for (double v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tolerance() * Math.max(scale, 1), "abundance " + i);
    }
    assertEquals(loaded.method(), model.method());
  }

  @Test
  void aSecondSaveWithoutOverwriteThrowsAndOverwriteReplaces(@TempDir Path dir) throws Exception {
    M model = fitted();
    String path = dir.resolve("model").toString();
    model.write().save(path);
    assertThrows(BadInputException.class, () -> model.write().save(path));
    model.write().overwrite().save(path);
    assertEquals(model.uid(), UnmixingModel.load(TestSpark.session(), path).uid());
    UnmixingEstimator<?, M> e = estimator();
    String epath = dir.resolve("estimator").toString();
    e.write().save(epath);
    assertThrows(BadInputException.class, () -> e.write().save(epath));
    e.write().overwrite().save(epath);
  }

  @Test
  void loadingKeepsTheClassUidAndParams(@TempDir Path dir) throws Exception {
    UnmixingEstimator<?, M> e = estimator();
    String epath = dir.resolve("estimator").toString();
    e.write().save(epath);
    Object back = MlPersistence.loadStage(TestSpark.session(), epath);
    assertSame(e.getClass(), back.getClass());
    assertSameParams(e, (Params) back);

    M model = fitted();
    String mpath = dir.resolve("model").toString();
    model.write().save(mpath);
    UnmixingModel<?> loaded = UnmixingModel.load(TestSpark.session(), mpath);
    assertSameParams(model, loaded);
    assertRowsClose(model.endmembers().matrix(), loaded.endmembers().matrix(), 0);
    assertEquals(model.endmembers().axis(), loaded.endmembers().axis());
    assertEquals(model.summaryLine(), loaded.summaryLine());
  }

  @Test
  void aMissingOrMistypedColumnIsNamed() {
    StructType schema = table(FIRST, 1).schema();
    BadInputException missing = assertThrows(BadInputException.class,
        () -> estimator().setInputCol("spectra_typo").transformSchema(schema));
    assertTrue(missing.getMessage().contains("spectra_typo"), missing.getMessage());
    StructType mistyped = new StructType().add(PixelSchema.ACQUISITION_ID, DataTypes.StringType)
        .add(PixelSchema.SPECTRUM, DataTypes.StringType);
    BadInputException wrongType = assertThrows(BadInputException.class, () -> fitted().transformSchema(mistyped));
    assertTrue(wrongType.getMessage().contains(PixelSchema.SPECTRUM), wrongType.getMessage());
    Dataset<Row> strings = TestSpark.session().createDataFrame(List.of(RowFactory.create("a", "1,2,3")), mistyped);
    BadInputException fit = assertThrows(BadInputException.class, () -> estimator().fit(strings));
    assertTrue(fit.getMessage().contains(PixelSchema.SPECTRUM), fit.getMessage());
    BadInputException taken = assertThrows(BadInputException.class,
        () -> fitted().transformSchema(schema.add(PixelSchema.ABUNDANCES_COL, DataTypes.DoubleType)));
    assertTrue(taken.getMessage().contains(PixelSchema.ABUNDANCES_COL), taken.getMessage());
  }

  @Test
  void aPipelineHoldingTheStageSavesAndLoads(@TempDir Path dir) throws Exception {
    UnmixingEstimator<?, M> e = estimator();
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {e});
    String ppath = dir.resolve("pipeline").toString();
    pipeline.write().save(ppath);
    PipelineStage back = Pipeline.load(ppath).getStages()[0];
    assertSame(e.getClass(), back.getClass());
    assertEquals(e.uid(), back.uid());

    PipelineModel fittedPipeline = pipeline.fit(table(FIRST, 2));
    String mpath = dir.resolve("pipeline-model").toString();
    fittedPipeline.write().save(mpath);
    PipelineModel loaded = PipelineModel.load(mpath);
    assertNotSame(fittedPipeline.stages()[0], loaded.stages()[0]);
    assertEquals(fittedPipeline.stages()[0].uid(), loaded.stages()[0].uid());
    int r = e.getNumEndmembers();
    double[] expected = maps(fittedPipeline.transform(table(SECOND, 2)), SECOND, r);
    double[] actual = maps(loaded.transform(table(SECOND, 2)), SECOND, r);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 0, "abundance " + i);
    }
  }

  /** The model fitted once per test class on {@link #FIRST} (2 partitions), shared by the checks of saved models. */
  @SuppressWarnings("unchecked")
  protected final M fitted() {
    synchronized (FITTED) {
      return (M) FITTED.computeIfAbsent(getClass(), k -> estimator().fit(table(FIRST, 2)));
    }
  }

  /** A co-ru-pt replicate cut to 24 × 20 pixels (width × height). */
  private static SpectrumImage image(int replicate) {
    SpectrumImage full = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(24)
        .withBlock(6), replicate).image();
    float[] data = java.util.Arrays.copyOf(full.data(), 24 * 20 * full.channels());
    return new SpectrumImage(full.id(), 20, 24, full.axis(), data);
  }

  /** The image's pixel rows, with the energy axis, written as Parquet in {@code partitions} files and read back. */
  protected static synchronized Dataset<Row> table(SpectrumImage image, int partitions) {
    try {
      if (tables == null) {
        tables = java.nio.file.Files.createTempDirectory("contract-tables");
        tables.toFile().deleteOnExit();
      }
      Path path = tables.resolve(image.id() + "-" + partitions);
      if (!java.nio.file.Files.exists(path)) {
        List<Row> rows = new ArrayList<>();
        ImageRows.pixels(image).forEachRemaining(rows::add);
        Dataset<Row> df = TestSpark.session().createDataFrame(rows, PixelSchema.PIXELS);
        df.select(df.col(PixelSchema.ACQUISITION_ID), df.col(PixelSchema.X), df.col(PixelSchema.Y),
            SpectrumColumn.withAxis(df, PixelSchema.SPECTRUM, image.axis())).repartition(partitions).write()
            .parquet(path.toString());
      }
      return TestSpark.session().read().parquet(path.toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The abundances of a transformed table in raster order (H × W × R). */
  protected static double[] maps(Dataset<Row> transformed, SpectrumImage image, int r) {
    double[] v = new double[image.pixels() * r];
    for (Row row : transformed.select(PixelSchema.X, PixelSchema.Y, PixelSchema.ABUNDANCES_COL).collectAsList()) {
      List<Object> a = row.getList(2);
      for (int k = 0; k < r; k++) {
        v[(row.getInt(1) * image.width() + row.getInt(0)) * r + k] = (Double) a.get(k);
      }
    }
    return v;
  }

  /** Rows equal to {@code relTol} times each expected row's largest magnitude. */
  protected static void assertRowsClose(double[][] expected, double[][] actual, double relTol, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      double scale = 0;
      for (double v : expected[i]) {
        scale = Math.max(scale, Math.abs(v));
      }
      for (int j = 0; j < expected[i].length; j++) {
        assertEquals(expected[i][j], actual[i][j], relTol * scale, what + ", row " + i + ", column " + j);
      }
    }
  }

  private static void assertRowsClose(double[][] expected, double[][] actual, double relTol) {
    assertRowsClose(expected, actual, relTol, "endmembers");
  }

  /** Same params set and same values (explicit and default), param by param. */
  private static void assertSameParams(Params expected, Params actual) {
    assertEquals(expected.uid(), actual.uid());
    for (Param<?> p : expected.params()) {
      Param<?> q = actual.getParam(p.name());
      assertEquals(expected.isSet(p), actual.isSet(q), p.name() + " set");
      assertEquals(String.valueOf(expected.getOrDefault(p)), String.valueOf(actual.getOrDefault(q)), p.name());
    }
  }
}
