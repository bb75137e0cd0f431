package org.eelsunmix.unmix;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.core.Unmixing;

/**
 * A fitted linear source separation of spectra, {@code y ≈ fit(s)} with {@code s} a pixel's n sources and the
 * fit affine in them along n spectra {@code a_r} ({@link #mixing()}): the two ICA domains, FastICA on the pixels
 * ({@link IndependentComponents}) and HyperSpy's BSS of the SVD factors ({@link BssComponents}), as the Spark model
 * and {@code evaluate} use them.
 *
 * <p><b>Non-negative, sum-to-one rescaling</b> ({@link #proportions}, used by {@code evaluate}, never implied):
 * ICA spectra and sources may be negative and are not proportions. The rescaling maps each source map linearly
 * onto [0, 1] between its extremes over the image and divides each pixel's values by their sum (1/n each when all
 * are 0); endmember r is the reconstruction of the image's mean sources with source r raised to its maximum,
 * {@code fit(s̄) + (max_r − s̄_r) a_r}. It is independent of the components' signs and order, but a heuristic:
 * proportions summing to one are not independent (Nascimento &amp; Bioucas-Dias, IEEE TGRS 43(1), 2005), so these
 * maps are a comparison point, not an unmixing in the FCLS sense.
 */
public interface SourceSeparation extends Serializable {

  /** Number of components n. */
  default int count() {
    return mixing().length;
  }

  /** Number of channels B. */
  default int channels() {
    return mixing()[0].length;
  }

  /** The spectra {@code a_r} along which the sources move the fit, n × B (the model's endmembers). */
  double[][] mixing();

  /** Iterations FastICA ran. */
  int iterations();

  /** Whether the tolerance (not the cap) stopped FastICA. */
  boolean converged();

  /** The n × B matrix P whose rows give a pixel's sources, {@code s = P y}. */
  double[][] sourceMatrix();

  /** Writes the n sources {@code s = P y} of the spectrum {@code y[offset .. offset + B)} to {@code s} (n). */
  default void sources(float[] y, int offset, double[] s) {
    double[][] p = sourceMatrix();
    for (int r = 0; r < p.length; r++) {
      double[] pr = p[r];
      double v = 0;
      for (int j = 0; j < pr.length; j++) {
        v += pr[j] * y[offset + j];
      }
      s[r] = v;
    }
  }

  /** Writes the fitted spectrum for the sources {@code s} to {@code out} (B, caller-owned). */
  void reconstruct(double[] s, double[] out);

  /** {@code ‖y − fit(s)‖²} for the spectrum at {@code offset} and its sources {@code s}. */
  double residualSquared(float[] y, int offset, double[] s);

  /** The mixing spectra as endmembers {@code ic0, ic1, …}. */
  default Endmembers endmembers(EnergyAxis axis) {
    return new Endmembers(mixing(), names(count()), axis);
  }

  /** The raw sources of every pixel of {@code image} as maps. */
  default Abundances maps(SpectrumImage image) {
    int n = count();
    int b = image.channels();
    double[] values = new double[image.pixels() * n];
    double[] s = new double[n];
    for (int p = 0; p < image.pixels(); p++) {
      sources(image.data(), p * b, s);
      System.arraycopy(s, 0, values, p * n, n);
    }
    return new Abundances(image.height(), image.width(), n, values);
  }

  /** The explicit, heuristic non-negative, sum-to-one rescaling of the class comment, over {@code image}. */
  default Unmixing proportions(SpectrumImage image) {
    int n = count();
    int b = channels();
    double[] v = maps(image).values();
    double[] lo = new double[n];
    double[] hi = new double[n];
    double[] avg = new double[n];
    Arrays.fill(lo, Double.POSITIVE_INFINITY);
    Arrays.fill(hi, Double.NEGATIVE_INFINITY);
    for (int i = 0; i < v.length; i++) {
      lo[i % n] = Math.min(lo[i % n], v[i]);
      hi[i % n] = Math.max(hi[i % n], v[i]);
      avg[i % n] += v[i] / image.pixels();
    }
    for (int p = 0; p < image.pixels(); p++) {
      double sum = 0;
      for (int r = 0; r < n; r++) {
        double range = hi[r] - lo[r];
        double w = range > 0 ? (v[p * n + r] - lo[r]) / range : 0;
        v[p * n + r] = w;
        sum += w;
      }
      for (int r = 0; r < n; r++) {
        v[p * n + r] = sum > 0 ? v[p * n + r] / sum : 1.0 / n;
      }
    }
    double[] base = new double[b];
    reconstruct(avg, base);
    double[][] a = mixing();
    double[][] spectra = new double[n][b];
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < b; j++) {
        spectra[r][j] = base[j] + (hi[r] - avg[r]) * a[r][j];
      }
    }
    return new Unmixing(new Endmembers(spectra, names(n), image.axis()),
        new Abundances(image.height(), image.width(), n, v));
  }

  /** {@code ic0 … ic(n−1)}. */
  private static List<String> names(int n) {
    List<String> names = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      names.add("ic" + r);
    }
    return names;
  }
}
