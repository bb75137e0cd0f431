package org.eelsunmix.unmix;

import java.util.Locale;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;

/**
 * The classic EELS elemental map: power-law background subtraction and integration of an ionisation edge, pixel by
 * pixel (Egerton, <i>Electron Energy-Loss Spectroscopy in the Electron Microscope</i>, 3rd ed., Springer 2011: §4.4
 * background fitting to ionisation edges, §4.5 elemental quantification).
 *
 * <h2>Method</h2>
 * Over the pre-edge window {@code [e1, e2]} the background is modelled as {@code B(E) = A·E^−r} and fitted by least
 * squares in log–log coordinates, {@code ln I = ln A − r ln E}: with {@code u = ln E}, {@code v = ln I} and means
 * {@code ū, v̄} over the channels used, {@code r = −Σ(u−ū)(v−v̄) / Σ(u−ū)²} and {@code ln A = v̄ + r ū}
 * (unweighted least squares in log–log, Egerton §4.4). The fit is extrapolated under the edge and the signal is
 * the sum over the channels of the signal window {@code [e3, e4]} of counts minus background:
 *
 * <pre>  signal = Σ_{E_i ∈ [e3, e4]} (I_i − A·E_i^−r)      background = Σ_{E_i ∈ [e3, e4]} A·E_i^−r</pre>
 *
 * Both are per-channel sums, in counts: a spectrum holds counts per channel, so the sum is the number of electrons
 * scattered by the edge inside the window (the {@code I_k(β, Δ)} of Egerton's quantification, §4.5); multiply by
 * the channel width for counts·eV. The goodness of fit is the coefficient of determination of the log–log fit,
 * {@code R² = 1 − Σ(v − v̂)² / Σ(v − v̄)²} (1 when the log counts are constant and fitted exactly).
 *
 * <h2>Non-positive counts and failed fits</h2>
 * Pre-edge channels with zero or negative counts have no logarithm and are left out of the fit (low-dose pixels
 * have them; the remaining channels still define the power law, biased slightly upwards since the zeros are not
 * averaged in). {@link Fit#fitChannels} says how many channels were used. With fewer than two positive pre-edge
 * channels the pixel has no background: every output is NaN. Counts in the signal window are used as they are.
 * A negative signal is kept: it shows where the background model or the statistics fail, and callers count it.
 *
 * <h2>Windows</h2>
 * Windows select the channels whose energy lies inside them (both ends included, see {@link EnergyWindow}). They
 * are refused, naming the window and showing the axis range, when they reach outside the axis, hold fewer than two
 * channels, overlap, or when the signal window does not lie above the pre-edge window; the pre-edge window must be
 * at positive energies (a power law of energy), and the axis must be in eV.
 *
 * <p>Instances are immutable and serialisable (shipped to Spark executors); the logarithms of the window energies
 * are computed once here. Per-pixel state lives in a caller-owned {@link Fit}, so nothing is allocated per pixel.
 */
public final class PowerLawBackground implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final EnergyAxis axis;
  private final EnergyWindow preEdge;
  private final EnergyWindow signal;
  private final int preFirst;
  private final int signalFirst;
  /** ln E of the pre-edge channels, in channel order. */
  private final double[] preLogEnergy;
  /** ln E of the signal channels, in channel order. */
  private final double[] signalLogEnergy;

  /**
   * @param axis the spectra's energy axis, in eV
   * @param preEdge where the background is fitted
   * @param signal where the edge is integrated; above the pre-edge window, not overlapping it
   * @throws BadInputException naming the window at fault (with the axis range) or the axis
   */
  public PowerLawBackground(EnergyAxis axis, EnergyWindow preEdge, EnergyWindow signal) {
    if (!axis.units().equalsIgnoreCase("eV")) {
      throw new BadInputException(preEdge.name(), "windows are in eV but the energy axis is in " + axis.units()
          + " (" + axis + ")");
    }
    if (!(preEdge.from() > 0)) {
      throw new BadInputException(preEdge.name(), "window " + preEdge + " must lie at positive energy losses: the "
          + "background is a power law of the energy");
    }
    int[] pre = preEdge.channels(axis);
    int[] sig = signal.channels(axis);
    boolean shareChannels = pre[0] <= sig[1] && sig[0] <= pre[1];
    if (shareChannels || signal.from() < preEdge.to() && preEdge.from() < signal.to()) {
      throw new BadInputException(signal.name(), "window " + signal + " overlaps the pre-edge window " + preEdge
          + " (energy axis " + EnergyWindow.range(axis) + ")");
    }
    if (signal.from() < preEdge.to()) {
      throw new BadInputException(signal.name(), "window " + signal + " lies below the pre-edge window " + preEdge
          + ": the background is fitted before the edge and extrapolated under it");
    }
    this.axis = axis;
    this.preEdge = preEdge;
    this.signal = signal;
    this.preFirst = pre[0];
    this.signalFirst = sig[0];
    this.preLogEnergy = logEnergies(axis, pre);
    this.signalLogEnergy = logEnergies(axis, sig);
  }

  private static double[] logEnergies(EnergyAxis axis, int[] range) {
    double[] u = new double[range[1] - range[0] + 1];
    for (int k = 0; k < u.length; k++) {
      u[k] = Math.log(axis.energy(range[0] + k));
    }
    return u;
  }

  public EnergyAxis axis() {
    return axis;
  }

  public EnergyWindow preEdge() {
    return preEdge;
  }

  public EnergyWindow signal() {
    return signal;
  }

  /** Number of channels in the pre-edge window. */
  public int preEdgeChannels() {
    return preLogEnergy.length;
  }

  /** Number of channels in the signal window. */
  public int signalChannels() {
    return signalLogEnergy.length;
  }

  /** A result holder with its work buffer, for one thread; reuse it for every pixel. */
  public Fit newFit() {
    return new Fit(Math.max(preLogEnergy.length, signalLogEnergy.length));
  }

  /**
   * Fits one pixel: {@code spectrum[offset .. offset + channels)} in counts.
   *
   * @param out receives the result (modified); its buffer is overwritten
   */
  public void fit(float[] spectrum, int offset, Fit out) {
    // Widen the two windows into the holder's buffers, then share the double-precision path.
    double[] pre = out.preCounts;
    for (int k = 0; k < preLogEnergy.length; k++) {
      pre[k] = spectrum[offset + preFirst + k];
    }
    double[] sig = out.signalCounts;
    for (int k = 0; k < signalLogEnergy.length; k++) {
      sig[k] = spectrum[offset + signalFirst + k];
    }
    fitWindows(pre, sig, out);
  }

  /** As {@link #fit(float[], int, Fit)} for a spectrum held in doubles. */
  public void fit(double[] spectrum, int offset, Fit out) {
    System.arraycopy(spectrum, offset + preFirst, out.preCounts, 0, preLogEnergy.length);
    System.arraycopy(spectrum, offset + signalFirst, out.signalCounts, 0, signalLogEnergy.length);
    fitWindows(out.preCounts, out.signalCounts, out);
  }

  private void fitWindows(double[] pre, double[] sig, Fit out) {
    // First pass: logarithms of the positive counts (in place; excluded channels become NaN) and the means.
    int n = 0;
    double sumU = 0;
    double sumV = 0;
    for (int k = 0; k < preLogEnergy.length; k++) {
      if (pre[k] > 0) {
        pre[k] = Math.log(pre[k]);
        sumU += preLogEnergy[k];
        sumV += pre[k];
        n++;
      } else {
        pre[k] = Double.NaN;
      }
    }
    out.fitChannels = n;
    if (n < 2) {
      out.signal = out.background = out.r = out.a = out.rSquared = Double.NaN;
      return;
    }
    // Second pass: centred sums, so that the narrow spread of ln E over the window costs no digits.
    double meanU = sumU / n;
    double meanV = sumV / n;
    double suu = 0;
    double suv = 0;
    double svv = 0;
    for (int k = 0; k < preLogEnergy.length; k++) {
      if (!Double.isNaN(pre[k])) {
        double du = preLogEnergy[k] - meanU;
        double dv = pre[k] - meanV;
        suu += du * du;
        suv += du * dv;
        svv += dv * dv;
      }
    }
    double slope = suv / suu;
    double logA = meanV - slope * meanU;
    double residual = Math.max(0, svv - slope * suv);
    out.r = -slope;
    out.a = Math.exp(logA);
    out.rSquared = svv > 0 ? 1 - residual / svv : 1;
    double signalSum = 0;
    double backgroundSum = 0;
    for (int k = 0; k < signalLogEnergy.length; k++) {
      double b = Math.exp(logA + slope * signalLogEnergy[k]);
      backgroundSum += b;
      signalSum += sig[k] - b;
    }
    out.signal = signalSum;
    out.background = backgroundSum;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "power-law background over %s (%d channels), signal %s (%d channels)",
        preEdge, preLogEnergy.length, signal, signalLogEnergy.length);
  }

  /**
   * One pixel's result (mutable, reused from pixel to pixel). All values are NaN when fewer than two pre-edge
   * channels had positive counts.
   */
  public static final class Fit {
    /** Counts minus extrapolated background, summed over the signal window (may be negative). */
    public double signal;
    /** Extrapolated background summed over the signal window, counts. */
    public double background;
    /** Power-law exponent r of {@code A·E^−r}. */
    public double r;
    /** Power-law prefactor A of {@code A·E^−r}, counts·eV^r. */
    public double a;
    /** Coefficient of determination of the log–log fit over the pre-edge window. */
    public double rSquared;
    /** Pre-edge channels with positive counts, used in the fit. */
    public int fitChannels;

    final double[] preCounts;
    final double[] signalCounts;

    Fit(int channels) {
      preCounts = new double[channels];
      signalCounts = new double[channels];
    }

    /** Whether the pixel had a background fit (at least two positive pre-edge channels). */
    public boolean fitted() {
      return !Double.isNaN(r);
    }
  }
}
