package org.eelsunmix.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The pure spectra of a linear mixing model: an {@code R × B} matrix {@code M} whose row {@code r} is endmember
 * {@code r} on the common {@link EnergyAxis} ({@code B = axis.channels()}). A pixel is modelled as
 * {@code y = Σ_r a_r M[r]} with abundances {@code a ≥ 0, Σ a_r = 1}.
 *
 * <p>Immutable: the constructor copies, accessors copy.
 */
public final class Endmembers implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private final double[][] spectra;
  private final List<String> names;
  private final EnergyAxis axis;

  /**
   * @param spectra {@code R × B} endmember spectra (copied)
   * @param names one name per endmember, or {@code null} for {@code e0, e1, ...}
   * @param axis energy axis with {@code B} channels
   * @throws BadInputException naming {@code spectra} when there are none, a spectrum is not on the axis or holds a
   *     non-finite value, or naming {@code names} when their count differs from R
   */
  public Endmembers(double[][] spectra, List<String> names, EnergyAxis axis) {
    this.axis = Objects.requireNonNull(axis, "axis");
    if (spectra == null || spectra.length == 0) {
      throw new BadInputException("spectra", "an endmember set needs at least one spectrum");
    }
    int b = axis.channels();
    this.spectra = new double[spectra.length][];
    for (int r = 0; r < spectra.length; r++) {
      if (spectra[r].length != b) {
        throw new BadInputException("spectra", String.format(
            "endmember %d has %d channels but the energy axis has %d", r, spectra[r].length, b));
      }
      for (int i = 0; i < b; i++) {
        if (!Double.isFinite(spectra[r][i])) {
          throw new BadInputException("spectra",
              String.format("endmember %d has a non-finite value at channel %d", r, i));
        }
      }
      this.spectra[r] = spectra[r].clone();
    }
    if (names == null) {
      List<String> n = new ArrayList<>();
      for (int r = 0; r < spectra.length; r++) {
        n.add("e" + r);
      }
      this.names = List.copyOf(n);
    } else {
      if (names.size() != spectra.length) {
        throw new BadInputException("names", names.size() + " names for " + spectra.length + " endmembers");
      }
      this.names = List.copyOf(names);
    }
  }

  /** Number of endmembers R. */
  public int count() {
    return spectra.length;
  }

  /** Number of channels B. */
  public int channels() {
    return axis.channels();
  }

  public EnergyAxis axis() {
    return axis;
  }

  public List<String> names() {
    return names;
  }

  /** A copy of endmember {@code r}. */
  public double[] spectrum(int r) {
    return spectra[r].clone();
  }

  /** A copy of the whole {@code R × B} matrix. */
  public double[][] matrix() {
    double[][] m = new double[spectra.length][];
    for (int r = 0; r < m.length; r++) {
      m[r] = spectra[r].clone();
    }
    return m;
  }

  /** The same spectra reordered: endmember {@code i} of the result is endmember {@code order[i]} of this set. */
  public Endmembers permute(int[] order) {
    double[][] m = new double[order.length][];
    List<String> n = new ArrayList<>();
    for (int i = 0; i < order.length; i++) {
      m[i] = spectra[order[i]];
      n.add(names.get(order[i]));
    }
    return new Endmembers(m, n, axis);
  }

  /** Every spectrum multiplied by {@code factor}. */
  public Endmembers scaled(double factor) {
    double[][] m = matrix();
    for (double[] row : m) {
      for (int i = 0; i < row.length; i++) {
        row[i] *= factor;
      }
    }
    return new Endmembers(m, names, axis);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Endmembers e && e.axis.equals(axis) && e.names.equals(names)
        && Arrays.deepEquals(e.spectra, spectra);
  }

  @Override
  public int hashCode() {
    return Objects.hash(axis, names, Arrays.deepHashCode(spectra));
  }
}
