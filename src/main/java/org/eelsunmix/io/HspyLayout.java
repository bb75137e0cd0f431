package org.eelsunmix.io;

import java.util.ArrayList;
import java.util.List;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;

/**
 * How a HyperSpy array maps onto a spectrum image: HyperSpy orders the array navigation axes first and the signal
 * axis last ({@code (y, x, E)} for a map, {@code (x, E)} for a line scan, {@code (E)} for one spectrum), so with
 * at most two navigation axes the C-order array is already pixel-major with channels fastest. This class checks
 * that the axes describe exactly that, before any data is read.
 *
 * @param height rows ({@code y}); 1 for a line scan or a single spectrum
 * @param width columns ({@code x}); 1 for a single spectrum
 * @param energy the signal axis as an energy axis
 * @param x the fastest navigation axis (pixel size along x), null for a single spectrum
 */
record HspyLayout(int height, int width, EnergyAxis energy, HspyAxis x) {
  /** Pixels are counted in ints (Java arrays cannot quite reach Integer.MAX_VALUE elements). */
  static final long MAX_PIXELS = Integer.MAX_VALUE - 8;

  /**
   * Checks {@code axes} against the array's dimensions and finds the signal axis: the one with
   * {@code navigate = false}, or the last axis when no axis says (files older than HyperSpy's navigate flag).
   *
   * @throws BadInputException naming {@code source} for missing or mismatched axes, no or several signal axes, a
   *     signal axis that is not last, more than two navigation axes, an unusable energy calibration or an array too
   *     large for memory
   */
  static HspyLayout of(String source, long[] dims, List<HspyAxis> axes) {
    if (dims.length == 0) {
      throw new BadInputException(source, "the data array is a single number, not a spectrum");
    }
    if (axes.size() != dims.length) {
      throw new BadInputException(source, "has " + axes.size() + " axis groups for a data array of "
          + dims.length + " dimensions " + shapeText(dims));
    }
    long pixels = 1;
    for (int i = 0; i < dims.length; i++) {
      HspyAxis a = axes.get(i);
      if (a.size() != dims[i]) {
        throw new BadInputException(source, "axis-" + i + " says size " + a.size() + " but the data array "
            + shapeText(dims) + " has " + dims[i]);
      }
      if (dims[i] < 1) {
        throw new BadInputException(source, "the data array " + shapeText(dims) + " is empty");
      }
      pixels *= i < dims.length - 1 ? dims[i] : 1;
      if (pixels > MAX_PIXELS || dims[i] > MAX_PIXELS) {
        throw new BadInputException(source, "the data array " + shapeText(dims) + " is too large: more pixels or "
            + "channels than one spectrum image can have");
      }
    }
    HspyAxis signal = signalAxis(source, axes);
    int navigation = dims.length - 1;
    if (navigation > 2) {
      throw new BadInputException(source, "has " + navigation + " navigation axes " + shapeText(dims)
          + "; a spectrum image has at most two (y, x)");
    }
    if (signal.scale() == 0.0 || !Double.isFinite(signal.scale()) || !Double.isFinite(signal.offset())) {
      throw new BadInputException(source, "the signal axis '" + signal.name() + "' has no usable calibration "
          + "(offset " + signal.offset() + ", scale " + signal.scale() + ")");
    }
    EnergyAxis energy = new EnergyAxis(signal.offset(), signal.scale(), signal.units(), (int) signal.size());
    int height = navigation == 2 ? (int) dims[0] : 1;
    int width = navigation == 0 ? 1 : (int) dims[navigation - 1];
    return new HspyLayout(height, width, energy, navigation == 0 ? null : axes.get(navigation - 1));
  }

  private static HspyAxis signalAxis(String source, List<HspyAxis> axes) {
    List<HspyAxis> signal = new ArrayList<>();
    boolean anyFlag = false;
    for (HspyAxis a : axes) {
      anyFlag |= a.navigate() != null;
      if (Boolean.FALSE.equals(a.navigate())) {
        signal.add(a);
      }
    }
    if (!anyFlag) {
      signal.add(axes.get(axes.size() - 1));
    }
    if (signal.size() != 1) {
      throw new BadInputException(source, "has " + signal.size() + " signal axes ("
          + String.join(", ", signal.stream().map(a -> "'" + a.name() + "'").toList())
          + "); a spectrum image has exactly one, the energy-loss axis");
    }
    HspyAxis s = signal.get(0);
    if (s.index() != axes.size() - 1) {
      throw new BadInputException(source, "the signal axis '" + s.name() + "' is axis-" + s.index()
          + ", not the last one; HyperSpy stores the signal axis last");
    }
    return s;
  }

  /** NumPy's way of printing a shape. */
  static String shapeText(long[] dims) {
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < dims.length; i++) {
      s.append(i == 0 ? "" : ", ").append(dims[i]);
    }
    return s.append(dims.length == 1 ? ",)" : ")").toString();
  }
}
