package org.eelsunmix.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.spark.ml.NmfEstimator;
import org.eelsunmix.spark.ml.NmfModel;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.unmix.Nmf;
import org.eelsunmix.unmix.NmfAbundances;
import org.junit.jupiter.api.Test;

/**
 * The blocked NMF kernels on a real SparkSession: a fit with scikit-learn's defaults over 1 and 4 partitions
 * against the in-memory fit, and the transform over 1 and 4 partitions bit-identical to the pixel-by-pixel
 * {@link NmfAbundances#solve} (a pixel's abundances do not depend on its block or partition).
 */
class NmfBlockedPartitionsTest {

  @Test
  void fitAndTransformDoNotDependOnThePartitioning() {
    TestSpark.session();
    SpectrumImage image = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(24)
        .withBlock(3).withSeed(2), 0).image();
    Nmf.Options o = new Nmf.Options(3, 0);
    Nmf.Result reference = Nmf.fit(image, o);
    NmfModel one = NmfSparkTest.estimator(o).fit(VcaFclsSparkTest.pixels(image, 1));
    NmfModel four = NmfSparkTest.estimator(o).fit(VcaFclsSparkTest.pixels(image, 4));
    NmfSparkTest.assertSameFit(reference, one, "1 partition");
    NmfSparkTest.assertSameFit(reference, four, "4 partitions");

    NmfAbundances kernel = one.abundanceSolver();
    int b = image.channels();
    int r = kernel.components();
    double[] expected = new double[image.pixels() * r];
    double[] rmse = new double[image.pixels()];
    double[] work = new double[kernel.workLength()];
    for (int p = 0; p < image.pixels(); p++) {
      rmse[p] = Math.sqrt(kernel.solve(image.data(), p * b, expected, p * r, work) / b);
    }
    for (int partitions : new int[] {1, 4}) {
      List<Row> rows = one.transform(VcaFclsSparkTest.pixels(image, partitions)).select("x", "y", "abundances", "rmse")
          .collectAsList();
      assertEquals(image.pixels(), rows.size());
      Map<Integer, Row> byPixel = new HashMap<>();
      for (Row row : rows) {
        byPixel.put(row.getInt(1) * image.width() + row.getInt(0), row);
      }
      for (int p = 0; p < image.pixels(); p++) {
        Row row = byPixel.get(p);
        double[] a = row.getList(2).stream().mapToDouble(v -> (Double) v).toArray();
        assertArrayEquals(java.util.Arrays.copyOfRange(expected, p * r, (p + 1) * r), a, 0.0,
            partitions + " partitions, pixel " + p);
        assertEquals(rmse[p], row.getDouble(3), 0.0, partitions + " partitions, pixel " + p);
      }
    }
  }
}
