package org.eelsunmix.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eelsunmix.core.Abundances;

/**
 * Abundance maps of a layered-interface specimen seen in cross-section, like a Pt/Co/Ru/Pt multilayer: horizontal
 * layers (rows), a thick upper layer, a thin layer of nominal thickness {@code w} rows, a thick lower layer and, for
 * more than three endmembers, further thick layers below. The thin layer diffuses into its lower neighbour only:
 * its concentration is the nominal box {@code [y₀, y₁)} ({@code y₁ = y₀ + w}) convolved with a one-sided
 * exponential kernel {@code k(d) = e^{−d/L}/L}, {@code d ≥ 0} (material pushed downwards, diffusion length
 * {@code L}), which is
 *
 * <pre>  c(y) = 0                              y &lt; y₀   (sharp upper interface)
 *  c(y) = 1 − e^{−(y−y₀)/L}               y₀ ≤ y &lt; y₁
 *  c(y) = e^{−(y−y₁)/L} − e^{−(y−y₀)/L}   y ≥ y₁   (exponential tail)</pre>
 *
 * <p>Each row's value is the average of {@code c} over the row {@code [y, y + 1)} (rows and interfaces are whole
 * pixels, so a row lies in one piece): {@code 1 − L·e^{−(y−y₀)/L}·(1 − e^{−1/L})} in the thin rows and
 * {@code L·(1 − e^{−1/L})·(1 − e^{−w/L})·e^{−(y−y₁)/L}} below them, written with {@code expm1} so that no term
 * cancels. So with {@code L > 0} no pixel of the thin layer is pure, above it the upper layer
 * stays pure up to the interface, and below it the thin fraction decays by {@code e^{−1/L}} per row. {@code L = 0}
 * gives the sharp box. The rest of each pixel, {@code 1 − c}, belongs to the thick layer of its row; in the thin
 * layer's own rows that is the lower neighbour (the material that intermixed upwards). The maps are ≥ 0 and sum to
 * one.
 *
 * <p><b>Rows.</b> With {@code T} thick layers the upper one takes rows {@code [0, y₀)}, {@code y₀ = ⌊(size − w)/T⌋},
 * and the {@code T − 1} others share {@code [y₁, size)} evenly (layer {@code i} starts at
 * {@code y₁ + ⌊(i − 1)(size − y₁)/(T − 1)⌋}).
 *
 * <p><b>Endmembers onto layers</b> ({@link #layout}): when the names include Co, Ru and Pt (case-insensitive, as in
 * the built-in {@code co-ru-pt} set), Co is the upper layer, Ru the thin one and Pt the lower one; otherwise by
 * index: endmember 0 upper, 1 thin, 2 lower. Endmembers 3, 4, … are further layers below, in index order. With two
 * endmembers the thin layer 1 lies inside endmember 0 (upper and lower layer both 0).
 *
 * @param size image side in pixels
 * @param layerWidth nominal thin-layer thickness {@code w} in rows, ≥ 1
 * @param diffusion diffusion length {@code L} in rows, ≥ 0
 */
public record LayeredMaps(int size, int layerWidth, double diffusion) {
  /** Validates (programming errors; {@link SyntheticGenerator.Options} reports user errors by setting). */
  public LayeredMaps {
    if (size < 1 || layerWidth < 1 || !(diffusion >= 0) || Double.isInfinite(diffusion)) {
      throw new IllegalArgumentException("layered maps need size ≥ 1, layer width ≥ 1 and diffusion ≥ 0, got "
          + size + ", " + layerWidth + ", " + diffusion);
    }
  }

  /**
   * Which endmember makes which layer.
   *
   * @param thin the thin layer's endmember
   * @param thick the thick layers' endmembers, top to bottom; the thin layer lies between the first two
   */
  public record Layout(int thin, int[] thick) {
  }

  /** The layout for endmembers named {@code names} (at least two; see the class comment). */
  public static Layout layout(List<String> names) {
    int count = names.size();
    if (count < 2) {
      throw new IllegalArgumentException("layered maps need at least two endmembers, got " + count);
    }
    int co = indexOf(names, "co");
    int ru = indexOf(names, "ru");
    int pt = indexOf(names, "pt");
    int upper = 0;
    int thin = 1;
    int lower = count == 2 ? 0 : 2;
    if (co >= 0 && ru >= 0 && pt >= 0) {
      upper = co;
      thin = ru;
      lower = pt;
    }
    List<Integer> thick = new ArrayList<>(List.of(upper, lower));
    for (int r = 0; r < count; r++) {
      if (r != upper && r != thin && r != lower) {
        thick.add(r);
      }
    }
    return new Layout(thin, thick.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The number of thick layers for {@code count} endmembers: 2 for two endmembers, else {@code count − 1}. */
  public static int thickLayers(int count) {
    return count == 2 ? 2 : count - 1;
  }

  /** First row of the thin layer, {@code y₀}, for {@code count} endmembers. */
  public int thinStart(int count) {
    return (size - layerWidth) / thickLayers(count);
  }

  /** The thin layer's fraction of row {@code y}: the average of {@code c} over {@code [y, y + 1)}. */
  public double thinFraction(int y, int count) {
    int y0 = thinStart(count);
    int y1 = y0 + layerWidth;
    if (y < y0) {
      return 0.0;
    }
    if (diffusion == 0) {
      return y < y1 ? 1.0 : 0.0;
    }
    // L·(1 − e^{−1/L}): the row average of e^{−(t − y)/L} over t ∈ [y, y + 1).
    double rowAverage = -diffusion * StrictMath.expm1(-1.0 / diffusion);
    if (y < y1) {
      return 1.0 - rowAverage * StrictMath.exp(-(y - y0) / diffusion);
    }
    return rowAverage * -StrictMath.expm1(-layerWidth / diffusion) * StrictMath.exp(-(y - y1) / diffusion);
  }

  /** The maps for endmembers named {@code names}; {@code size − layerWidth} must leave a row per thick layer. */
  public Abundances paint(List<String> names) {
    int count = names.size();
    Layout layout = layout(names);
    int t = layout.thick().length;
    int y0 = thinStart(count);
    int y1 = y0 + layerWidth;
    if (size - layerWidth < t) {
      throw new IllegalArgumentException(String.format("a %d-row image cannot hold a %d-row thin layer and %d thick "
          + "layers", size, layerWidth, t));
    }
    double[] values = new double[size * size * count];
    for (int y = 0; y < size; y++) {
      double c = thinFraction(y, count);
      int host = thickAt(y, y0, y1, layout);
      for (int x = 0; x < size; x++) {
        int o = (y * size + x) * count;
        values[o + layout.thin()] += c;
        values[o + host] += 1.0 - c;
      }
    }
    return new Abundances(size, size, count, values);
  }

  /** The thick layer's endmember in row {@code y}; the thin rows count as the lower neighbour's. */
  private int thickAt(int y, int y0, int y1, Layout layout) {
    int[] thick = layout.thick();
    if (y < y0) {
      return thick[0];
    }
    if (y < y1 || thick.length == 2) {
      return thick[1];
    }
    int layers = thick.length - 1;
    for (int i = layers; i >= 1; i--) {
      if (y >= y1 + (long) (i - 1) * (size - y1) / layers) {
        return thick[i];
      }
    }
    return thick[1];
  }

  private static int indexOf(List<String> names, String element) {
    int found = -1;
    for (int r = 0; r < names.size(); r++) {
      if (names.get(r).strip().toLowerCase(Locale.ROOT).equals(element)) {
        if (found >= 0) {
          return -1;
        }
        found = r;
      }
    }
    return found;
  }
}
