package org.eelsunmix.synth;

import org.eelsunmix.core.BadInputException;

/**
 * The amplitudes of spectral variability in a synthetic cube: the extended linear mixing model (ELMM) of L. Drumetz,
 * M.-A. Veganzones, S. Henrot, R. Phlypo, J. Chanussot and C. Jutten, "Blind hyperspectral unmixing using an
 * extended linear mixing model to address spectral variability", <i>IEEE Trans. Image Process.</i> 25(8) (2016)
 * 3890–3905, where each pixel sees scaled versions of the endmembers, plus the two EELS-specific distortions of a
 * real spectrum image: an energy drift of the spectrometer and a varying background slope. {@link SpectralVariability}
 * applies them; every amplitude 0 ({@link #NONE}) is the plain linear mixing model, bit for bit.
 *
 * @param shiftDrift channels of energy shift at the far corner of a linear drift plane (0 at pixel (0, 0)), ≥ 0
 * @param shiftJitter standard deviation (channels) of a per-pixel Gaussian shift added to the plane, ≥ 0
 * @param edgeScale relative standard deviation of a per-pixel, per-endmember factor on the edge signal (the
 *     spectrum above its power-law background), ≥ 0
 * @param backgroundJitter standard deviation of a per-pixel change of the power-law background exponent r, ≥ 0
 * @param thickness relative standard deviation of a per-pixel factor on the whole spectrum (ELMM scaling), ≥ 0
 */
public record Variability(double shiftDrift, double shiftJitter, double edgeScale, double backgroundJitter,
    double thickness) implements java.io.Serializable {
  /** No variability: the linear mixing model. */
  public static final Variability NONE = new Variability(0, 0, 0, 0, 0);

  /** Validates, naming the setting at fault by its study key. */
  public Variability {
    check("shift_drift", shiftDrift, 1e4);
    check("shift_jitter", shiftJitter, 1e4);
    check("edge_scale", edgeScale, 10);
    check("background_jitter", backgroundJitter, 10);
    check("thickness", thickness, 10);
  }

  /** Whether every amplitude is 0, i.e. the cube is made by plain linear mixing. */
  public boolean off() {
    return shiftDrift == 0 && shiftJitter == 0 && edgeScale == 0 && backgroundJitter == 0 && thickness == 0;
  }

  private static void check(String key, double value, double max) {
    if (!(value >= 0 && value <= max)) {
      throw new BadInputException(key, "must be a number in [0, " + max + "] (0 = off), got " + value);
    }
  }
}
