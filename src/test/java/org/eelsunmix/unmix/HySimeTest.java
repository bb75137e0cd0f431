package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.junit.jupiter.api.Test;

/** HySime against a brute-force regression and the known number of endmembers of the built-in synthetic sets. */
class HySimeTest {

  static SpectralMoments moments(SpectrumImage image) {
    SpectralMoments m = new SpectralMoments(image.channels());
    for (int p = 0; p < image.pixels(); p++) {
      m.add(image.data(), p * image.channels());
    }
    return m;
  }

  @Test
  void regressionFromRAndItsInverseEqualsLeastSquaresOnThePixels() {
    int b = 6;
    int n = 50;
    Random random = new Random(7);
    double[] y = new double[n * b];
    for (int i = 0; i < y.length; i++) {
      y[i] = random.nextGaussian() + (i % b == 2 ? y[i - 1] : 0); // band 2 correlated with band 1
    }
    DMatrixRMaj r = new DMatrixRMaj(b, b);
    for (int p = 0; p < n; p++) {
      for (int i = 0; i < b; i++) {
        for (int j = 0; j < b; j++) {
          r.add(i, j, y[p * b + i] * y[p * b + j]);
        }
      }
    }
    DMatrixRMaj beta = HySime.regressionCoefficients(r);
    for (int i = 0; i < b; i++) {
      // Reference: QR least squares of band i on the other bands, pixel by pixel.
      DMatrixRMaj a = new DMatrixRMaj(n, b - 1);
      DMatrixRMaj target = new DMatrixRMaj(n, 1);
      for (int p = 0; p < n; p++) {
        for (int j = 0, c = 0; j < b; j++) {
          if (j != i) {
            a.set(p, c++, y[p * b + j]);
          }
        }
        target.set(p, 0, y[p * b + i]);
      }
      LinearSolverDense<DMatrixRMaj> qr = LinearSolverFactory_DDRM.leastSquaresQrPivot(true, false);
      assertTrue(qr.setA(a));
      DMatrixRMaj x = new DMatrixRMaj(b - 1, 1);
      qr.solve(target, x);
      assertEquals(0, beta.get(i, i), 0);
      for (int j = 0, c = 0; j < b; j++) {
        if (j != i) {
          assertEquals(x.get(c++, 0), beta.get(j, i), 1e-8, "band " + i + " on band " + j);
        }
      }
    }
  }

  /**
   * At the default dose (1e5 counts per pixel, Poisson noise) HySime finds R for both sets, and so does the scree
   * elbow of the uncentred second moment. The regression's noise estimate is the pixel-averaged Poisson variance:
   * per channel, close to the mean count.
   */
  @Test
  void findsTheTrueNumberOfEndmembersOfBothBuiltInSetsAtTheDefaultDose() {
    for (String set : new String[] {"co-ru-pt", "k-edges"}) {
      SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin(set), 0);
      int truth = cube.truthEndmembers().count();
      assertEquals(set.equals("co-ru-pt") ? 3 : 4, truth);
      SpectralMoments m = moments(cube.image());
      HySime h = HySime.fromMoments(m);
      assertEquals(truth, h.k(), set + ": HySime");
      Pca scree = Pca.fromMoments(m, 0, 20, false);
      assertEquals(truth, ScreeElbow.estimate(scree.eigenvalues(), 20), set + ": scree elbow");
      double[] mean = m.mean();
      double[] ratio = new double[mean.length];
      for (int j = 0; j < mean.length; j++) {
        ratio[j] = h.noiseVariance()[j] / mean[j];
      }
      Arrays.sort(ratio);
      double median = ratio[ratio.length / 2];
      // Regressing on B − 1 bands with N pixels shrinks residuals by about (N − B) / N.
      double expected = 1 - (double) mean.length / cube.image().pixels();
      assertEquals(expected, median, 0.1, set + ": noise variance / mean count, median over channels");
    }
  }

  @Test
  void tooFewPixelsAreRefused() {
    SpectralMoments m = new SpectralMoments(5);
    m.add(new double[] {1, 2, 3, 4, 5});
    BadInputException e = assertThrows(BadInputException.class, () -> HySime.fromMoments(m));
    assertTrue(e.getMessage().contains("more pixels than channels"), e.getMessage());
  }
}
