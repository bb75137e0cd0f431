package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.SpectrumImage;
import org.junit.jupiter.api.Test;

/**
 * NMF against numbers printed by scikit-learn 1.9.1 ({@code sklearn.decomposition.NMF} and {@code _initialize_nmf})
 * for a 6 × 5 matrix, R = 3: {@code Y = np.round(np.random.RandomState(0).rand(6, 5) * 10, 3)} cast to float32
 * and back, so the float pixels here hold exactly the same values. scikit-learn takes the triplets from a
 * randomized SVD, this code from an eigendecomposition of YᵀY: the starts agree to rounding, and the fits, which
 * take 68 and 80 iterations from them, to about 1e-9.
 */
class NmfScikitLearnTest {
  static final double[][] Y = {
      {5.48799991607666, 7.1519999504089355, 6.0279998779296875, 5.448999881744385, 4.236999988555908},
      {6.459000110626221, 4.375999927520752, 8.918000221252441, 9.63700008392334, 3.8340001106262207},
      {7.916999816894531, 5.289000034332275, 5.679999828338623, 9.255999565124512, 0.7099999785423279},
      {0.8709999918937683, 0.20200000703334808, 8.326000213623047, 7.7820000648498535, 8.699999809265137},
      {9.78600025177002, 7.992000102996826, 4.614999771118164, 7.804999828338623, 1.1829999685287476},
      {6.39900016784668, 1.434000015258789, 9.446999549865723, 5.2179999351501465, 4.146999835968018}};

  static final double[][] NNDSVD_W = {{2.151056227677724, 0.0, 1.445975927232299},
      {2.7255542660888548, 0.27238346741845887, 0.0}, {2.417572707439786, 0.0, 0.0},
      {2.0166601617958944, 2.372122415330637, 0.6967864328695565}, {2.509748266112261, 0.0, 0.33549974535740384},
      {2.177839963887592, 0.7700759251957431, 0.0}};
  static final double[][] NNDSVD_H = {
      {2.6902342841784, 1.9293540407877647, 3.028018401551421, 3.2418504295475463, 1.5397503230567908},
      {0.0, 0.0, 1.4196838834052314, 0.13922476164946004, 2.063804393382795},
      {0.0, 1.3108866746410313, 0.0, 0.014453256953442592, 0.9850304685202829}};
  /** X.mean(), what nndsvda puts in place of the zeros. */
  static final double MEAN = 5.811233293513457;

  static final double[][] CD_W = {{0.2577908324584845, 0.6923690871909273, 0.013228566826271257},
      {0.20900242268755612, 0.394632790704544, 0.9017331138269393},
      {0.0017921211522997948, 0.5597430082921552, 0.9376873343021451},
      {0.5351401224230972, 0.0, 0.19782387298594248}, {0.0, 0.8638787763040557, 0.6130004998039819},
      {0.1321712179036492, 0.02034614020187186, 1.17863295938707}};
  static final double[][] CD_H = {
      {0.0, 0.9284164187093764, 14.700284291082479, 11.130381634000587, 15.78453084996096},
      {7.464338877453902, 9.14184150518175, 1.7516431200083193, 5.824784457376512, 0.0},
      {4.650077741143075, 0.5751688386700317, 5.6735035540605905, 4.702014782944915, 1.2377539170483676}};
  static final int CD_ITERATIONS = 68;
  static final double CD_ERROR = 4.014544429420788;

  static final double[][] MU_W = {{0.3098634482079676, 0.8819894167523968, 0.5297225409804222},
      {0.6942684807471742, 0.7824783757419198, 0.588424716980467},
      {0.6274343026665301, 1.00212283909989, 0.01791714238487173},
      {0.6186037579659946, 3.0350897355478113e-11, 1.1770890412626243},
      {0.4388398234342755, 1.3268856146259027, 0.004150773538316845},
      {0.3721084941518752, 0.5867188519312532, 0.8892043472997394}};
  static final double[][] MU_H = {
      {0.41707828236513433, 0.05270600788315451, 4.400722563228751, 12.097346054833855, 1.4738965318616517},
      {7.200065040673516, 5.856816955013376, 2.538789860794408, 1.7391685277593345, 1.5838643839670233e-06},
      {0.840092014184012, 0.0021837291640939235, 5.624902494218618, 0.04244483749437414, 5.7136116276691284}};
  static final int MU_ITERATIONS = 80;
  static final double MU_ERROR = 4.613561869647786;

  static SpectrumImage image() {
    float[] data = new float[Y.length * Y[0].length];
    for (int i = 0; i < Y.length; i++) {
      for (int c = 0; c < Y[0].length; c++) {
        data[i * Y[0].length + c] = (float) Y[i][c];
      }
    }
    return new SpectrumImage("sklearn-6x5", 2, 3, EnergyAxis.ofEv(0, 1, Y[0].length), data);
  }

  /** W₀ and H₀ of {@code init} for the image, through the four distributed steps. */
  static double[][][] start(SpectrumImage image, String init, int r) {
    int b = image.channels();
    int n = image.pixels();
    SpectralMoments moments = new SpectralMoments(b);
    for (int i = 0; i < n; i++) {
      moments.add(image.data(), i * b);
    }
    NmfInitialisation s = NmfInitialisation.nndsvd(init, moments, r, 0);
    double[] parts = new double[s.partNormsLength()];
    for (int i = 0; i < n; i++) {
      s.addPartNorms(image.data(), i * b, parts);
    }
    s = s.withPartNorms(parts);
    double[][] w = new double[n][r];
    for (int i = 0; i < n; i++) {
      s.abundances(image.data(), i * b, i, w[i], 0);
    }
    double[] hFlat = s.endmembers();
    double[][] h = new double[r][b];
    for (int t = 0; t < r; t++) {
      System.arraycopy(hFlat, t * b, h[t], 0, b);
    }
    return new double[][][] {w, h};
  }

  static void assertMatrix(double[][] expected, double[][] actual, double tolerance, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected[i].length; j++) {
        assertEquals(expected[i][j], actual[i][j], tolerance, what + "[" + i + "][" + j + "]");
      }
    }
  }

  static double[][] filled(double[][] m, double value) {
    double[][] out = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      out[i] = m[i].clone();
      for (int j = 0; j < out[i].length; j++) {
        if (out[i][j] == 0) {
          out[i][j] = value;
        }
      }
    }
    return out;
  }

  @Test
  void nndsvdStartsMatchScikitLearn() {
    double[][][] nndsvd = start(image(), NmfInitialisation.NNDSVD, 3);
    assertMatrix(NNDSVD_W, nndsvd[0], 1e-9, "nndsvd W");
    assertMatrix(NNDSVD_H, nndsvd[1], 1e-9, "nndsvd H");
    double[][][] nndsvda = start(image(), NmfInitialisation.NNDSVDA, 3);
    assertMatrix(filled(NNDSVD_W, MEAN), nndsvda[0], 1e-9, "nndsvda W");
    assertMatrix(filled(NNDSVD_H, MEAN), nndsvda[1], 1e-9, "nndsvda H");
  }

  @Test
  void coordinateDescentFitMatchesScikitLearn() {
    Nmf.Result fit = Nmf.fit(image(), new Nmf.Options(3, 0));
    assertEquals(NmfInitialisation.NNDSVDA, fit.init());
    assertEquals(CD_ITERATIONS, fit.iterations());
    assertTrue(fit.converged());
    assertEquals(CD_ERROR, fit.reconstructionError(), 1e-9 * CD_ERROR);
    assertMatrix(CD_W, rows(fit.unmixing().abundances().values(), 3), 1e-7, "cd W");
    assertMatrix(CD_H, fit.unmixing().endmembers().matrix(), 1e-7, "cd H");
  }

  @Test
  void multiplicativeFitMatchesScikitLearn() {
    Nmf.Result fit = Nmf.fit(image(), new Nmf.Options(3, 0).withSolver("MU"));
    assertEquals(MU_ITERATIONS, fit.iterations());
    assertTrue(fit.converged());
    assertEquals(MU_ERROR, fit.reconstructionError(), 1e-9 * MU_ERROR);
    assertMatrix(MU_W, rows(fit.unmixing().abundances().values(), 3), 1e-7, "mu W");
    assertMatrix(MU_H, fit.unmixing().endmembers().matrix(), 1e-7, "mu H");
  }

  static double[][] rows(double[] flat, int r) {
    double[][] m = new double[flat.length / r][r];
    for (int i = 0; i < m.length; i++) {
      System.arraycopy(flat, i * r, m[i], 0, r);
    }
    return m;
  }
}
