package org.eelsunmix.unmix;

import java.util.ArrayList;
import java.util.List;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.PixelKey;
import org.eelsunmix.core.SpectrumImage;

/**
 * Vertex Component Analysis (Nascimento &amp; Bioucas-Dias, IEEE TGRS 43(4):898–910, 2005): endmembers are taken
 * as the most extreme pixels of the data cloud after a subspace projection. Assumes pure pixels exist (true for
 * the chequerboard synthetic data before the mixing filter smears them, and for many real specimens).
 *
 * <p>This is the in-memory kernel: {@link SpectralMoments} → {@link VcaProjection} → {@link VcaSearch} with
 * {@link VcaCandidate} picking the pixel. The Spark estimator runs exactly these pieces, aggregating the moments
 * and the candidates over partitions.
 */
public final class Vca {
  private Vca() {}

  /**
   * @param endmembers number of endmembers R, ≥ 1 (and ≤ channels)
   * @param seed seed of VCA's random directions
   * @param snrDb SNR in dB that chooses the projection; NaN (the default) estimates it from the data
   */
  public record Options(int endmembers, long seed, double snrDb) {
    public Options {
      if (endmembers < 1) {
        throw new BadInputException("endmembers", "the number of endmembers must be at least 1, got " + endmembers);
      }
    }

    public Options(int endmembers, long seed) {
      this(endmembers, seed, Double.NaN);
    }
  }

  /**
   * @param endmembers the R spectra found, on the image's energy axis
   * @param pixels where each one was found
   * @param snrDb the SNR that chose the projection
   * @param projective whether the low-SNR projection was used
   */
  public record Result(Endmembers endmembers, List<PixelKey> pixels, double snrDb, boolean projective) {}

  /** Finds {@code o.endmembers()} endmembers in one spectrum image. */
  public static Result fit(SpectrumImage image, Options o) {
    int b = image.channels();
    if (o.endmembers() > b) {
      throw new BadInputException("endmembers", "asked for " + o.endmembers() + " endmembers but " + image.id()
          + " has only " + b + " channels");
    }
    int n = image.pixels();
    float[] data = image.data();
    SpectralMoments moments = new SpectralMoments(b);
    for (int i = 0; i < n; i++) {
      moments.add(data, i * b);
    }
    VcaProjection projection = VcaProjection.fromMoments(moments, o.endmembers(), o.snrDb());
    int d = projection.dims();
    double[] projected = new double[n * d];
    double[] x = new double[d];
    double lift = 0;
    for (int i = 0; i < n; i++) {
      projection.project(data, i * b, x);
      System.arraycopy(x, 0, projected, i * d, d);
      lift = Math.max(lift, projection.normSquared(x));
    }
    lift = projection.projective() ? Math.sqrt(lift) : 0;

    VcaSearch search = new VcaSearch(o.endmembers(), o.seed());
    double[][] spectra = new double[o.endmembers()][];
    List<PixelKey> where = new ArrayList<>();
    double[] point = new double[o.endmembers()];
    while (search.found() < o.endmembers()) {
      double[] f = search.nextDirection();
      int best = -1;
      double bestScore = -1;
      for (int i = 0; i < n; i++) {
        System.arraycopy(projected, i * d, x, 0, d);
        double s = projection.score(f, x, lift);
        if (s > bestScore) { // strict: the first pixel in raster order wins a tie, as VcaCandidate.better does
          bestScore = s;
          best = i;
        }
      }
      double[] xb = new double[d];
      System.arraycopy(projected, best * d, xb, 0, d);
      projection.simplexPoint(xb, lift, point);
      search.accept(point);
      spectra[search.found() - 1] = projection.spectrum(xb);
      where.add(new PixelKey(image.id(), best / image.width(), best % image.width()));
    }
    return new Result(new Endmembers(spectra, null, image.axis()), where, projection.snrDb(),
        projection.projective());
  }
}
