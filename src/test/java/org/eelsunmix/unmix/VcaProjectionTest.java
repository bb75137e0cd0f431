package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.linalg.VectorApi;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;

/** {@link VcaProjection#projectAll} (pixels side by side on the Vector API) against the plain index-order sums. */
class VcaProjectionTest {

  /**
   * Every pixel's every coordinate, vector and scalar path, has the bits of {@code Σ_j basis_ij (y_j − mean_j)}
   * summed in index order: both modes, 1 to 9 coordinates (every remainder of four), pixel counts below, at and
   * above a vector's lanes.
   */
  @Test
  void projectAllHasTheBitsOfThePlainSums() {
    assertTrue(VectorApi.ENABLED, "the tests run with --add-modules=jdk.incubator.vector (pom.xml's argLine)");
    SpectrumImage image = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(16),
        5).image();
    int b = image.channels();
    SpectralMoments moments = new SpectralMoments(b);
    for (int i = 0; i < image.pixels(); i++) {
      moments.add(image.data(), i * b);
    }
    int lanes = VcaProjectionVector.lanes();
    for (double snr : new double[] {-20, 80}) {
      for (int r = 2; r <= 10; r++) {
        VcaProjection projection = VcaProjection.fromMoments(moments, r, snr);
        int d = projection.dims();
        for (int pixels : new int[] {1, lanes - 1, lanes, 3 * lanes + 5, image.pixels()}) {
          for (boolean vector : new boolean[] {true, false}) {
            double[] out = new double[pixels * d];
            projection.projectAll(image.data(), pixels, out, vector);
            for (int p = 0; p < pixels; p++) {
              for (int i = 0; i < d; i++) {
                double s = 0;
                for (int j = 0; j < b; j++) {
                  double yj = image.data()[p * b + j];
                  s += projection.basis()[i * b + j] * (projection.projective() ? yj - projection.mean()[j] : yj);
                }
                assertEquals(Double.doubleToRawLongBits(s), Double.doubleToRawLongBits(out[p * d + i]),
                    "snr " + snr + " dB, R = " + r + ", " + pixels + " pixels, vector " + vector + ", pixel " + p
                        + ", coordinate " + i);
              }
            }
          }
        }
      }
    }
  }
}
