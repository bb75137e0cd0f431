package org.eelsunmix.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.spark.ml.NmfEstimator;
import org.eelsunmix.spark.ml.NmfModel;
import org.eelsunmix.spark.ml.NmfSummary;
import org.eelsunmix.core.SpectralAngle;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.unmix.Nmf;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distributed NMF against the in-memory fit, its objective, exact data, the transform against brute force. */
class NmfSparkTest {
  static SpectrumImage noisy;

  @BeforeAll
  static void setUp() {
    TestSpark.session();
    noisy = cube("co-ru-pt", SyntheticGenerator.DEFAULT_DOSE);
  }

  /** A 16 × 16 synthetic cube (blocks of 2, filter 3), as the in-memory NMF tests use. */
  static SpectrumImage cube(String set, double dose) {
    return SyntheticGenerator.generate(SyntheticGenerator.Options.builtin(set).withSize(16).withBlock(2)
        .withFilter(3).withDose(dose), 0).image();
  }

  static double normSquared(SpectrumImage image) {
    double s = 0;
    for (float v : image.data()) {
      s += (double) v * v;
    }
    return s;
  }

  static NmfEstimator estimator(Nmf.Options o) {
    return new NmfEstimator().setNumEndmembers(o.components()).setSeed(o.seed()).setSolver(o.solver())
        .setInit(o.init()).setTol(o.tol()).setMaxIter(o.maxIterations());
  }

  static double[][] fitted(Nmf.Result in) {
    return in.unmixing().endmembers().matrix();
  }

  static void assertSameFit(Nmf.Result expected, NmfModel actual, String what) {
    NmfSummary s = actual.summary();
    assertEquals(expected.init(), s.init(), what);
    assertEquals(expected.iterations(), s.iterations(), what);
    assertEquals(expected.converged(), s.converged(), what);
    double[][] e = fitted(expected);
    double[][] a = actual.endmembers().matrix();
    double scale = Arrays.stream(e).flatMapToDouble(Arrays::stream).max().orElse(1);
    for (int t = 0; t < e.length; t++) {
      assertArrayEquals(e[t], a[t], 1e-9 * scale, what + ", endmember " + t);
    }
    double[] he = expected.objectiveHistory();
    double[] ha = s.objectiveHistory();
    assertEquals(he.length, ha.length, what);
    for (int k = 0; k < he.length; k++) {
      assertEquals(he[k], ha[k], 1e-9 * he[0], what + ", objective at iteration " + k);
    }
    assertEquals(expected.objective(), s.objective(), 1e-9 * expected.objective(), what);
    assertEquals(expected.relativeResidual(), s.relativeResidual(), 1e-9 * expected.relativeResidual(), what);
  }

  /** The history from the aggregated sums is good to ~1e-16 ‖Y‖²: it may rise by that much, no more. */
  static void assertNonIncreasing(double[] history, double yy, String what) {
    for (int k = 1; k < history.length; k++) {
      assertTrue(history[k] <= history[k - 1] + 1e-13 * yy, what + ", iteration " + k + ": " + history[k - 1]
          + " -> " + history[k]);
    }
  }

  @Test
  void distributedEqualsInMemoryForAnyPartitioningAndNeverIncreasesTheObjective() {
    Nmf.Options base = new Nmf.Options(3, 7).withTol(0).withMaxIterations(10);
    double yy = normSquared(noisy);
    // cd from nndsvda, mu from a random start (address-keyed draws).
    for (Nmf.Options o : List.of(base, base.withSolver("mu").withInit("random"))) {
      Nmf.Result reference = Nmf.fit(noisy, o);
      for (int partitions : new int[] {1, 2, 7}) {
        String what = o.solver() + "/" + o.init() + ", " + partitions + " partitions";
        NmfModel model = estimator(o).fit(VcaFclsSparkTest.pixels(noisy, partitions));
        assertSameFit(reference, model, what);
        double[] h = model.summary().objectiveHistory();
        assertEquals(11, h.length);
        assertNonIncreasing(h, yy, what);
        assertTrue(h[10] < 0.9 * h[0], what + " barely moved: " + h[0] + " -> " + h[10]);
        assertEquals(model.summary().objective(), h[10], 1e-12 * yy, what + ": history vs direct residual");
      }
    }
  }

  @Test
  void scikitLearnDefaultsStopAtTheSameIteration() {
    // tol 1e-4, at most 200 iterations: cd stops by its projected-gradient rule, mu by its error check.
    for (String solver : new String[] {"cd", "mu"}) {
      Nmf.Options o = new Nmf.Options(3, 0).withSolver(solver);
      Nmf.Result reference = Nmf.fit(noisy, o);
      assertTrue(reference.converged() && reference.iterations() < 200, solver + ": " + reference.iterations());
      NmfModel model = estimator(o).fit(VcaFclsSparkTest.pixels(noisy, 3));
      assertSameFit(reference, model, solver + " with scikit-learn's defaults");
      assertNonIncreasing(model.summary().objectiveHistory(), normSquared(noisy), solver);
    }
  }

  @Test
  void exactLowRankDataIsFactorisedExactly() {
    // X = W H exactly: three Gaussian peaks, a pure pixel of each in every four, mixtures between.
    int b = 200;
    double[][] truth = new double[3][b];
    for (int t = 0; t < 3; t++) {
      for (int c = 0; c < b; c++) {
        double z = (c - 40 - 60 * t) / 15.0;
        truth[t][c] = Math.exp(-z * z / 2);
      }
    }
    java.util.SplittableRandom random = new java.util.SplittableRandom(1);
    float[] data = new float[256 * b];
    for (int i = 0; i < 256; i++) {
      double[] w = new double[3];
      for (int t = 0; t < 3; t++) {
        w[t] = i % 4 < 3 ? (t == i % 4 ? 1000 : 0) : 1000 * random.nextDouble();
      }
      for (int c = 0; c < b; c++) {
        data[i * b + c] = (float) (w[0] * truth[0][c] + w[1] * truth[1][c] + w[2] * truth[2][c]);
      }
    }
    SpectrumImage exact = new SpectrumImage("exact", 16, 16, EnergyAxis.ofEv(0, 1, b), data);
    NmfModel model = new NmfEstimator().setTol(0).setMaxIter(40).fit(VcaFclsSparkTest.pixels(exact, 2));
    assertTrue(model.summary().relativeResidual() < 1e-9, "relative residual " + model.summary().relativeResidual());
    // The components are the peaks, up to order and scale.
    Endmembers found = model.endmembers();
    for (double[] peak : truth) {
      double bestAngle = Double.POSITIVE_INFINITY;
      for (int t = 0; t < 3; t++) {
        bestAngle = Math.min(bestAngle, SpectralAngle.between(peak, found.spectrum(t)));
      }
      assertTrue(bestAngle < 1e-3, "no component within 1 mrad of a true peak: " + bestAngle);
    }
  }

  /** The non-negative least-squares coefficients of y on the rows of h, by trying every set of free components. */
  static double[] bruteForceNnls(double[] y, double[][] h) {
    int r = h.length;
    double best = Double.POSITIVE_INFINITY;
    double[] bestW = new double[r];
    for (int mask = 0; mask < (1 << r); mask++) {
      int k = Integer.bitCount(mask);
      double[] w = new double[r];
      if (k > 0) {
        int[] free = new int[k];
        for (int t = 0, j = 0; t < r; t++) {
          if ((mask & (1 << t)) != 0) {
            free[j++] = t;
          }
        }
        DMatrixRMaj a = new DMatrixRMaj(y.length, k);
        for (int c = 0; c < y.length; c++) {
          for (int j = 0; j < k; j++) {
            a.set(c, j, h[free[j]][c]);
          }
        }
        DMatrixRMaj x = new DMatrixRMaj(k, 1);
        assertTrue(CommonOps_DDRM.solve(a, new DMatrixRMaj(y.length, 1, true, y), x));
        boolean feasible = true;
        for (int j = 0; j < k; j++) {
          feasible &= x.get(j) >= 0;
          w[free[j]] = x.get(j);
        }
        if (!feasible) {
          continue;
        }
      }
      double res = 0;
      for (int c = 0; c < y.length; c++) {
        double f = 0;
        for (int t = 0; t < r; t++) {
          f += w[t] * h[t][c];
        }
        res += (y[c] - f) * (y[c] - f);
      }
      if (res < best) {
        best = res;
        bestW = w;
      }
    }
    return bestW;
  }

  @Test
  void transformGivesTheNonNegativeLeastSquaresAbundances() {
    Dataset<Row> df = VcaFclsSparkTest.pixels(noisy, 2);
    NmfModel model = new NmfEstimator().setMaxIter(10).fit(df).setTol(0).setMaxIter(20000);
    double[][] h = model.endmembers().matrix();
    double[] sums = new double[3];
    for (int t = 0; t < 3; t++) {
      sums[t] = Arrays.stream(h[t]).sum();
    }
    List<Row> raw = model.transform(df).select("x", "y", "spectrum", "abundances", "rmse").collectAsList();
    List<Row> fractions = model.copy(new org.apache.spark.ml.param.ParamMap()).setSumToOne(true).transform(df)
        .select("x", "y", "abundances").collectAsList();
    assertEquals(256, raw.size());
    java.util.Map<Integer, double[]> byPixel = new java.util.HashMap<>();
    for (Row row : fractions) {
      byPixel.put(row.getInt(1) * 16 + row.getInt(0), row.getList(2).stream().mapToDouble(v -> (Double) v).toArray());
    }
    for (Row row : raw) {
      List<Float> s = row.getList(2);
      double[] y = s.stream().mapToDouble(Float::doubleValue).toArray();
      double[] w = row.getList(3).stream().mapToDouble(v -> (Double) v).toArray();
      double[] expected = bruteForceNnls(y, h);
      double scale = Arrays.stream(expected).max().orElse(0);
      assertArrayEquals(expected, w, 1e-6 * scale, "pixel " + row.getInt(0) + "," + row.getInt(1));
      double res = 0;
      for (int c = 0; c < y.length; c++) {
        double f = 0;
        for (int t = 0; t < 3; t++) {
          f += w[t] * h[t][c];
        }
        res += (y[c] - f) * (y[c] - f);
      }
      assertEquals(Math.sqrt(res / y.length), row.getDouble(4), 1e-9 * Math.sqrt(res / y.length));
      // Sum to one: the share of the pixel's fitted counts from each endmember.
      double total = w[0] * sums[0] + w[1] * sums[1] + w[2] * sums[2];
      double[] a = byPixel.get(row.getInt(1) * 16 + row.getInt(0));
      for (int t = 0; t < 3; t++) {
        assertEquals(w[t] * sums[t] / total, a[t], 1e-12);
      }
      assertEquals(1.0, a[0] + a[1] + a[2], 1e-12);
    }
  }

  @Test
  void savedModelLoadsWithItsSummary(@TempDir Path dir) throws Exception {
    Dataset<Row> df = VcaFclsSparkTest.pixels(noisy, 2);
    NmfModel model = new NmfEstimator().setSolver("mu").setMaxIter(5).setSumToOne(true).fit(df);
    String path = dir.resolve("model").toString();
    model.write().save(path);
    NmfModel loaded = NmfModel.load(path);
    assertEquals(model.uid(), loaded.uid());
    assertEquals(model.endmembers(), loaded.endmembers());
    assertEquals(model.summary().init(), loaded.summary().init());
    assertEquals(model.summary().iterations(), loaded.summary().iterations());
    assertEquals(model.summary().converged(), loaded.summary().converged());
    assertArrayEquals(model.summary().objectiveHistory(), loaded.summary().objectiveHistory());
    assertEquals(model.summary().objective(), loaded.summary().objective());
    assertEquals("mu", loaded.getOrDefault(loaded.solver()));
    assertEquals(true, loaded.getOrDefault(loaded.sumToOne()));
    assertEquals(model.transform(df).select("abundances").collectAsList(),
        loaded.transform(df).select("abundances").collectAsList());
    NmfEstimator est = new NmfEstimator().setNumEndmembers(4).setInit("random").setTol(1e-3);
    est.write().save(dir.resolve("est").toString());
    NmfEstimator back = NmfEstimator.load(dir.resolve("est").toString());
    assertEquals(est.options(), back.options());
  }

  @Test
  void badInputIsNamed() {
    Dataset<Row> df = VcaFclsSparkTest.pixels(noisy, 2);
    BadInputException e = assertThrows(BadInputException.class, () -> new NmfEstimator().setNumEndmembers(201)
        .fit(df));
    assertTrue(e.getMessage().contains("numEndmembers"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new NmfEstimator().setSolver("als"));
    assertThrows(IllegalArgumentException.class, () -> new NmfEstimator().setInit("svd"));
    assertThrows(IllegalArgumentException.class, () -> new NmfEstimator().setTol(-1));
    assertThrows(IllegalArgumentException.class, () -> new NmfEstimator().setNumEndmembers(0));

    float[] neg = new float[200];
    neg[17] = -3f;
    Dataset<Row> negative = TestSpark.session().createDataFrame(List.of(RowFactory.create("acq7", 2, 5, neg)),
        PixelSchema.PIXELS);
    Exception ex = assertThrows(Exception.class, () -> new NmfEstimator().setNumEndmembers(1).fit(negative));
    String msg = String.valueOf(VcaFclsSparkTest.findBadInput(ex));
    assertTrue(msg.contains("acq7") && msg.contains("y=5") && msg.contains("channel 17"), msg);
  }
}
