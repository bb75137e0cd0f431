package org.eelsunmix.core;

/**
 * The calibrated energy-loss axis of a spectrum: channel {@code i} sits at {@code offset + i * scale}.
 *
 * <p>This is the linear calibration that DigitalMicrograph, HyperSpy and EMSA/MSA files all carry (origin,
 * scale, units). The number of channels belongs to the axis so that a spectrum, an endmember set and a model can
 * be checked against each other before any arithmetic is done.
 *
 * @param offset energy of channel 0, in {@code units}
 * @param scale energy step per channel (dispersion), non-zero
 * @param units unit of offset and scale, usually {@code eV}
 * @param channels number of channels, at least 1
 */
public record EnergyAxis(double offset, double scale, String units, int channels)
    implements java.io.Serializable {

  /**
   * Validates the calibration; a bad axis is refused here rather than producing NaN energies later.
   *
   * @throws BadInputException naming {@code offset}, {@code scale} or {@code channels}: calibrations come from
   *     files and options, so a bad one is the user's to fix
   */
  public EnergyAxis {
    if (!Double.isFinite(offset)) {
      throw new BadInputException("offset", "the energy axis offset must be finite, got " + offset);
    }
    if (!Double.isFinite(scale) || scale == 0.0) {
      throw new BadInputException("scale", "the energy axis scale (eV/channel) must be finite and non-zero, got "
          + scale);
    }
    if (channels < 1) {
      throw new BadInputException("channels", "the energy axis needs at least one channel, got " + channels);
    }
    units = units == null || units.isBlank() ? "eV" : units.trim();
  }

  /** An axis in eV. */
  public static EnergyAxis ofEv(double offset, double scale, int channels) {
    return new EnergyAxis(offset, scale, "eV", channels);
  }

  /** Energy of channel {@code i}. */
  public double energy(int i) {
    return offset + i * scale;
  }

  /** All channel energies. */
  public double[] energies() {
    double[] e = new double[channels];
    for (int i = 0; i < channels; i++) {
      e[i] = energy(i);
    }
    return e;
  }

  /** Energy of the last channel. */
  public double end() {
    return energy(channels - 1);
  }

  /**
   * The channel whose energy is nearest to {@code e}, or -1 when {@code e} lies more than half a channel outside
   * the axis.
   */
  public int channelOf(double e) {
    double c = (e - offset) / scale;
    long i = Math.round(c);
    return i < 0 || i >= channels ? -1 : (int) i;
  }

  /** Same calibration (to a relative tolerance on offset and scale) and the same number of channels. */
  public boolean sameAs(EnergyAxis other, double relTol) {
    if (other == null || other.channels != channels) {
      return false;
    }
    double span = Math.abs(scale) * channels;
    return Math.abs(other.offset - offset) <= relTol * Math.max(span, Math.abs(offset))
        && Math.abs(other.scale - scale) <= relTol * Math.abs(scale);
  }

  @Override
  public String toString() {
    return String.format("%d channels from %g %s, %g %s/channel", channels, offset, units, scale, units);
  }
}
