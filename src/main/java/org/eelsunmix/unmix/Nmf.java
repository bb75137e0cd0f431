package org.eelsunmix.unmix;

import org.eelsunmix.core.Unmixing;
import java.util.Arrays;
import java.util.Locale;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.SpectrumImage;

/**
 * Non-negative matrix factorisation of a spectrum image as HyperSpy users get it from
 * {@code s.decomposition(algorithm="NMF")}, which calls scikit-learn's {@code NMF} (Pedregosa et al., JMLR
 * 12:2825–2830, 2011) with its defaults: with Y the N × B pixel matrix (pixels × channels),
 *
 * <pre>  minimise ½‖Y − W H‖²_F   over W ≥ 0 (N × R, abundances), H ≥ 0 (R × B, endmember spectra)</pre>
 *
 * started by {@link NmfInitialisation} (default {@code nndsvda}) and iterated by coordinate descent ({@code cd},
 * the default) or multiplicative updates ({@code mu}) — see {@link NmfSolver}. One iteration updates W (every
 * pixel, {@link NmfAbundanceUpdate}) and then H from the sums {@code WᵀW}, {@code WᵀY} of the new W
 * ({@link NmfStatistics}, {@link NmfEndmemberUpdate}). Stopping follows scikit-learn: {@code cd} stops when the
 * summed |projected gradient| of an iteration is at most {@code tol} times that of the first; {@code mu} checks
 * every 10 iterations and stops when {@code ‖Y − WH‖_F} fell by less than {@code tol} times its starting value
 * since the last check; both stop after {@code maxIterations}.
 *
 * <p>This is the in-memory fit: the iteration loop ({@link NmfFit}) over the pixels of one image. The distributed
 * fit runs the same loop over partitions: the abundance step and the statistics inside them
 * ({@link NmfPixelBlock}), the endmember step, the objective and the stopping rule on the driver. The
 * arithmetic is in double precision whatever the stored counts (scikit-learn works in float32 for float32 data).
 *
 * <h2>Sum to one</h2>
 * NMF's scale is free: {@code W H = (W D)(D⁻¹ H)} for any positive diagonal D. With {@link Options#sumToOne()}
 * each endmember is first scaled to unit sum over the channels and its abundance column by the inverse factor (the
 * fit is unchanged; an all-zero endmember also gets its abundances set to 0, which changes nothing either); then
 * each pixel's abundances are divided by their sum, which becomes the pixel's fitted total count. The returned
 * {@code W H} then reproduces each pixel's spectrum <em>shape</em> but not its intensity: the fit of pixel i is
 * {@code s_i · w_i H}, s_i its fitted total. A pixel whose abundances are all 0 gets {@code 1/R} each. The
 * reported objective is always that of the factorisation before this rescaling.
 *
 * <p>Data must be non-negative (scikit-learn refuses negative counts too).
 */
public final class Nmf {
  private Nmf() {}

  /** scikit-learn's default tolerance. */
  public static final double DEFAULT_TOL = 1e-4;
  /** scikit-learn's default iteration cap. */
  public static final int DEFAULT_MAX_ITERATIONS = 200;
  /** scikit-learn checks the {@code mu} stopping rule every this many iterations. */
  public static final int MU_CHECK_EVERY = 10;

  /**
   * @param components number of endmembers R, ≥ 1
   * @param init {@code auto} (scikit-learn's choice), {@code nndsvd}, {@code nndsvda}, {@code nndsvdar} or
   *     {@code random} (case-insensitive)
   * @param solver {@code cd} or {@code mu} (case-insensitive)
   * @param tol stopping tolerance, finite and ≥ 0 (0 runs all iterations)
   * @param maxIterations iteration cap, ≥ 1
   * @param seed seed of the random draws of {@code random} and {@code nndsvdar}
   * @param sumToOne rescale so that each pixel's abundances sum to one (see the class comment)
   */
  public record Options(int components, String init, String solver, double tol, int maxIterations, long seed,
      boolean sumToOne) implements java.io.Serializable {
    /** Validates, naming the component at fault; normalises the names to lower case. */
    public Options {
      if (components < 1) {
        throw new BadInputException("components", "the number of endmembers must be at least 1, got " + components);
      }
      init = init == null ? "" : init.trim().toLowerCase(Locale.ROOT);
      if (!NmfInitialisation.AUTO.equals(init) && !NmfInitialisation.RANDOM.equals(init)
          && !NmfInitialisation.isNndsvd(init)) {
        throw new BadInputException("init", "unknown NMF initialisation '" + init + "'; use auto, nndsvd, "
            + "nndsvda, nndsvdar or random");
      }
      solver = NmfSolver.byName(solver).cliName();
      if (!(tol >= 0) || !Double.isFinite(tol)) {
        throw new BadInputException("tol", "the stopping tolerance must be a finite number ≥ 0 (0 runs every "
            + "iteration), got " + tol);
      }
      if (maxIterations < 1) {
        throw new BadInputException("maxIterations", "the iteration cap must be at least 1, got " + maxIterations);
      }
    }

    /** scikit-learn's defaults: {@code auto} start, {@code cd}, tol 1e-4, 200 iterations, no rescaling. */
    public Options(int components, long seed) {
      this(components, NmfInitialisation.AUTO, NmfSolver.CD.cliName(), DEFAULT_TOL, DEFAULT_MAX_ITERATIONS, seed,
          false);
    }

    public Options withInit(String newInit) {
      return new Options(components, newInit, solver, tol, maxIterations, seed, sumToOne);
    }

    public Options withSolver(String newSolver) {
      return new Options(components, init, newSolver, tol, maxIterations, seed, sumToOne);
    }

    public Options withTol(double newTol) {
      return new Options(components, init, solver, newTol, maxIterations, seed, sumToOne);
    }

    public Options withMaxIterations(int newMaxIterations) {
      return new Options(components, init, solver, tol, newMaxIterations, seed, sumToOne);
    }

    public Options withSumToOne(boolean newSumToOne) {
      return new Options(components, init, solver, tol, maxIterations, seed, newSumToOne);
    }

    /** The solver as an enum. */
    public NmfSolver solverKind() {
      return NmfSolver.byName(solver);
    }

    /**
     * The start actually used for N pixels of B channels: {@code auto} becomes {@code nndsvda} when
     * {@code R ≤ min(N, B)}, else {@code random} (scikit-learn ≥ 1.1).
     */
    public String resolvedInit(long pixels, int channels) {
      if (!NmfInitialisation.AUTO.equals(init)) {
        return init;
      }
      return components <= Math.min(pixels, channels) ? NmfInitialisation.NNDSVDA : NmfInitialisation.RANDOM;
    }
  }

  /**
   * @param unmixing endmembers = rows of H on the image's axis, abundances = W as H × W × R maps (rescaled when
   *     {@link Options#sumToOne()})
   * @param objective {@code ½‖Y − W H‖²} of the factorisation found, summed channel by channel
   * @param relativeResidual {@code ‖Y − W H‖² / ‖Y‖²} (0 for an all-zero image)
   * @param iterations iterations run
   * @param converged whether the stopping rule (not the cap) ended the run
   * @param init the start used ({@code auto} resolved)
   * @param objectiveHistory {@code ½‖Y − W H‖²} from the statistics at the start (index 0) and after each
   *     iteration (index k); accurate to about {@code 1e-16 ‖Y‖²}
   */
  public record Result(Unmixing unmixing, double objective, double relativeResidual, int iterations,
      boolean converged, String init, double[] objectiveHistory) {
    /** scikit-learn's {@code reconstruction_err_}: {@code ‖Y − W H‖_F}. */
    public double reconstructionError() {
      return Math.sqrt(2 * objective);
    }
  }

  /** Factorises one spectrum image into {@code o.components()} non-negative parts. */
  public static Result fit(SpectrumImage image, Options o) {
    final int b = image.channels();
    final int n = image.pixels();
    final int r = o.components();
    if (r > b) {
      throw new BadInputException("components", "asked for " + r + " endmembers but " + image.id()
          + " has only " + b + " channels");
    }
    requireNonNegative(image);
    ImagePixels pixels = new ImagePixels(image, r);
    NmfFit.Outcome fit = NmfFit.run(pixels, o);
    double[] h = fit.endmembers();
    double[] w = pixels.w;
    double objective = 0.5 * pixels.residualSquared(h);
    double dataNorm = fit.dataNormSquared();
    if (o.sumToOne()) {
      rescaleToUnitSums(w, h, n, r, b);
    }
    double[][] spectra = new double[r][];
    for (int t = 0; t < r; t++) {
      spectra[t] = Arrays.copyOfRange(h, t * b, (t + 1) * b);
    }
    Unmixing unmixing = new Unmixing(new Endmembers(spectra, null, image.axis()),
        new Abundances(image.height(), image.width(), r, w));
    return new Result(unmixing, objective, dataNorm == 0 ? 0 : 2 * objective / dataNorm, fit.iterations(),
        fit.converged(), fit.init(), fit.objectiveHistory());
  }

  /** The passes of {@link NmfFit} over one image held in memory as one block, W an N × R array beside it. */
  private static final class ImagePixels implements NmfPixelPasses {
    private final NmfPixelBlock block;
    private final int b;
    private final int r;
    final double[] w;

    ImagePixels(SpectrumImage image, int components) {
      long[] keys = new long[image.pixels()];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = NmfInitialisation.drawKey(image.id(), i / image.width(), i % image.width());
      }
      this.block = new NmfPixelBlock(image.data(), keys, image.channels());
      this.b = image.channels();
      this.r = components;
      this.w = new double[keys.length * components];
    }

    @Override
    public int channels() {
      return b;
    }

    @Override
    public long pixels() {
      return block.count();
    }

    @Override
    public double meanCount() {
      return block.total() / ((double) block.count() * b);
    }

    @Override
    public SpectralMoments moments() {
      return block.addMoments(new SpectralMoments(b));
    }

    @Override
    public double[] partNorms(NmfInitialisation start) {
      return block.addPartNorms(start, new double[start.partNormsLength()]);
    }

    @Override
    public NmfStatistics start(NmfInitialisation start) {
      return block.start(start, w, new NmfStatistics(r, b));
    }

    @Override
    public NmfStatistics update(NmfAbundanceUpdate step) {
      return block.update(step, w, new NmfStatistics(r, b));
    }

    @Override
    public double residualSquared(double[] endmembers) {
      return block.residualSquared(w, endmembers);
    }
  }

  /** NMF needs counts ≥ 0; the first negative one is named by pixel and channel. */
  private static void requireNonNegative(SpectrumImage image) {
    float[] data = image.data();
    int b = image.channels();
    for (int i = 0; i < data.length; i++) {
      if (data[i] < 0f) {
        int p = i / b;
        throw new BadInputException(image.id(), String.format("negative count %s at pixel (y=%d, x=%d), channel %d "
            + "(%.4g %s); NMF needs non-negative spectra (offset or clip dark-subtracted data first)", data[i],
            p / image.width(), p % image.width(), i % b, image.axis().energy(i % b), image.axis().units()));
      }
    }
  }

  /**
   * {@code ‖Y − W H‖²} of {@code n} pixels (spectra {@code data}, N × B; abundances {@code w}, N × R; endmembers
   * {@code h}, R × B), summed channel by channel (no cancellation between large terms), the pixels' sums added in
   * pixel order.
   */
  public static double residualSquared(float[] data, int n, int b, double[] w, double[] h, int r) {
    double[] part = new double[RESIDUAL_CHUNK];
    double sum = 0;
    for (int i = 0; i < n; i += RESIDUAL_CHUNK) {
      int m = Math.min(RESIDUAL_CHUNK, n - i);
      MixtureResiduals.all(data, i * b, m, w, i * r, h, r, b, part);
      for (int k = 0; k < m; k++) {
        sum += part[k];
      }
    }
    return sum;
  }

  /** {@code ‖y − w H‖²} of one pixel, channel by channel; allocates nothing. */
  public static double pixelResidualSquared(float[] y, int yOffset, double[] w, int wOffset, double[] h, int r,
      int b) {
    return MixtureResiduals.one(y, yOffset, w, wOffset, h, r, b);
  }

  /** Pixels whose residuals {@link #residualSquared} computes into a buffer before adding them in pixel order. */
  private static final int RESIDUAL_CHUNK = 256;

  /**
   * {@link #pixelResidualSquared} of the {@code n} pixels {@code y} (row-major n × B, from offset 0), abundances
   * {@code w} (n × R), into {@code out[0 .. n)}: the same operations per pixel, so the same bits.
   */
  public static void pixelResidualsSquared(float[] y, int n, int b, double[] w, double[] h, int r, double[] out) {
    MixtureResiduals.all(y, 0, n, w, 0, h, r, b, out);
  }

  /** Unit-sum endmembers (fit unchanged), then unit-sum abundances per pixel (see the class comment). */
  static void rescaleToUnitSums(double[] w, double[] h, int n, int r, int b) {
    double[] sums = NmfAbundances.endmemberSums(h, r);
    for (int i = 0; i < n; i++) {
      NmfAbundances.toFractions(w, i * r, sums);
    }
    for (int t = 0; t < r; t++) {
      if (sums[t] > 0) {
        for (int c = 0; c < b; c++) {
          h[t * b + c] /= sums[t];
        }
      }
    }
  }
}
