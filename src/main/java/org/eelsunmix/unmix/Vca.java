package org.eelsunmix.unmix;

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
 * <p>This is the in-memory kernel: {@link SpectralMoments} → {@link VcaProjection} → {@link VcaRestarts} (K
 * {@link VcaSearch}es, each pass scoring every pixel along the K directions, {@link VcaCandidate} picking the
 * pixels) → {@link FclsResiduals} choosing the set with the lowest reconstruction error. The Spark estimator runs
 * exactly these pieces, aggregating the moments, the candidates and the residuals over partitions.
 *
 * <p>Other methods that start from VCA (BLU, uDAS) call {@link #fit} and take {@link Result#endmembers()}: the
 * best of {@link #DEFAULT_RESTARTS} restarts with the plain {@code Options} constructors, one VCA with
 * {@code options.withRestarts(1)} (bit for bit the single-run VCA of the seed).
 */
public final class Vca {
  /**
   * Restarts when none are asked for. Single VCA runs trip on a poor vertex for some seeds (issue 11: on a real 95×95
   * scene 2 of 6 seeds gave SAD 0.26 rad against 0.07–0.08); the passes are shared, so five cost about one VCA plus one
   * FCLS pass per set.
   */
  public static final int DEFAULT_RESTARTS = 5;

  private Vca() {}

  /**
   * @param endmembers number of endmembers R, ≥ 1 (and ≤ channels)
   * @param seed seed of VCA's random directions (restart k uses {@code seed + k})
   * @param snrDb SNR in dB that chooses the projection; NaN (the default) estimates it from the data
   * @param restarts K ≥ 1 searches sharing the passes; the set with the lowest FCLS reconstruction error is kept
   */
  public record Options(int endmembers, long seed, double snrDb, int restarts) {
    public Options {
      if (endmembers < 1) {
        throw new BadInputException("endmembers", "the number of endmembers must be at least 1, got " + endmembers);
      }
      if (restarts < 1) {
        throw new BadInputException("restarts", "VCA needs at least 1 restart, got " + restarts);
      }
    }

    /** {@value Vca#DEFAULT_RESTARTS} restarts. */
    public Options(int endmembers, long seed, double snrDb) {
      this(endmembers, seed, snrDb, DEFAULT_RESTARTS);
    }

    /** Estimated SNR, {@value Vca#DEFAULT_RESTARTS} restarts. */
    public Options(int endmembers, long seed) {
      this(endmembers, seed, Double.NaN);
    }

    /** These options with {@code k} restarts. */
    public Options withRestarts(int k) {
      return new Options(endmembers, seed, snrDb, k);
    }
  }

  /**
   * @param endmembers the R spectra of the kept restart, on the image's energy axis
   * @param pixels where each one was found
   * @param snrDb the SNR that chose the projection
   * @param projective whether the low-SNR projection was used
   * @param restartLosses each restart's mean FCLS residual {@code ‖y − Mᵀa‖²} (counts²), restart order; one NaN
   *     with a single restart (nothing to choose, the pass is skipped)
   * @param kept the index of the kept restart (its seed is {@code seed + kept})
   */
  public record Result(Endmembers endmembers, List<PixelKey> pixels, double snrDb, boolean projective,
      double[] restartLosses, int kept) {
    public Result {
      restartLosses = restartLosses.clone();
    }

    /** A single run's result (no restarts compared). */
    public Result(Endmembers endmembers, List<PixelKey> pixels, double snrDb, boolean projective) {
      this(endmembers, pixels, snrDb, projective, new double[] {Double.NaN}, 0);
    }

    @Override
    public double[] restartLosses() {
      return restartLosses.clone();
    }
  }

  /** Finds {@code o.endmembers()} endmembers in one spectrum image: the best of {@code o.restarts()} VCA runs. */
  public static Result fit(SpectrumImage image, Options o) {
    int b = image.channels();
    if (o.endmembers() > b) {
      throw new BadInputException("endmembers", "asked for " + o.endmembers() + " endmembers but " + image.id()
          + " has only " + b + " channels");
    }
    int n = image.pixels();
    PixelKey[] keys = new PixelKey[n]; // raster order: ties go to the first pixel, as in the distributed search
    for (int i = 0; i < n; i++) {
      keys[i] = new PixelKey(image.id(), i / image.width(), i % image.width());
    }
    VcaPixelBlock block = new VcaPixelBlock(image.data(), keys, b);
    VcaProjection projection = VcaProjection.fromMoments(block.addMoments(new SpectralMoments(b)), o.endmembers(),
        o.snrDb());
    double[] projected = block.project(projection);
    double lift = projection.projective() ? Math.sqrt(VcaPixelBlock.maxNormSquared(projection, projected)) : 0;
    VcaRestarts restarts = new VcaRestarts(projection, lift, o.seed(), o.restarts());
    double[] losses = restarts.search(new VcaPasses() {
      @Override
      public VcaCandidate[] candidates(VcaProjection p, double[][] directions, double c) {
        return block.candidates(p, projected, directions, c);
      }

      @Override
      public FclsResiduals residuals(Fcls[] sets) {
        return block.addResiduals(new FclsResiduals(sets));
      }
    });
    int kept = VcaRestarts.kept(losses);
    return new Result(new Endmembers(restarts.endmembers(kept), null, image.axis()), restarts.pixels(kept),
        projection.snrDb(), projection.projective(), losses, kept);
  }
}
