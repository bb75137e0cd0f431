package org.eelsunmix.maps;

import java.util.Arrays;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.linalg.Hungarian;

/**
 * Which unmixing component is which element: the components' abundance maps are matched one-to-one to elemental
 * maps (e.g. background-subtracted edge maps) by the largest summed Pearson correlation over the pixels, an exact
 * linear assignment ({@link Hungarian}). This is how the seed study put a name on each method's components before
 * comparing its maps and profiles with the BS maps; a user who knows better names a component explicitly, and the
 * assignment then runs over what is left.
 *
 * <p>Pearson correlation {@code ρ(a, b) = Σ(a−ā)(b−b̄) / √(Σ(a−ā)² Σ(b−b̄)²)} over the pixels where both maps are
 * finite; a constant map has correlation 0 with everything. With more components than elements the extra
 * components stay unnamed ({@code −1}); with more elements than components some elements get no component.
 */
public final class MapMatching {
  private final int[] elementOfComponent;
  private final double[][] correlation;
  private final boolean[] named;

  private MapMatching(int[] elementOfComponent, double[][] correlation, boolean[] named) {
    this.elementOfComponent = elementOfComponent;
    this.correlation = correlation;
    this.named = named;
  }

  /**
   * Matches components to elements.
   *
   * @param components {@code R} component maps, each of {@code pixels} values (row-major)
   * @param elements {@code E} elemental maps of the same pixels
   * @param given for each component the element the user named ({@code ≥ 0}), or {@code −1} to let the correlation
   *     decide; {@code null} = none given
   * @throws BadInputException when two components are given the same element
   */
  public static MapMatching byCorrelation(double[][] components, double[][] elements, int[] given) {
    int r = components.length;
    int e = elements.length;
    double[][] rho = new double[r][e];
    for (int k = 0; k < r; k++) {
      for (int j = 0; j < e; j++) {
        rho[k][j] = correlation(components[k], elements[j]);
      }
    }
    int[] match = new int[r];
    Arrays.fill(match, -1);
    boolean[] named = new boolean[r];
    boolean[] taken = new boolean[e];
    for (int k = 0; given != null && k < r; k++) {
      if (given[k] >= 0) {
        if (taken[given[k]]) {
          throw new BadInputException("name", "element " + given[k] + " is given to two components");
        }
        taken[given[k]] = true;
        match[k] = given[k];
        named[k] = true;
      }
    }
    int[] freeComponents = Arrays.stream(range(r)).filter(k -> match[k] < 0).toArray();
    int[] freeElements = Arrays.stream(range(e)).filter(j -> !taken[j]).toArray();
    if (freeComponents.length > 0 && freeElements.length > 0) {
      double[][] cost = new double[freeComponents.length][freeElements.length];
      for (int i = 0; i < freeComponents.length; i++) {
        for (int j = 0; j < freeElements.length; j++) {
          cost[i][j] = -rho[freeComponents[i]][freeElements[j]];
        }
      }
      int[] assigned = Hungarian.assign(cost);
      for (int i = 0; i < freeComponents.length; i++) {
        if (assigned[i] >= 0) {
          match[freeComponents[i]] = freeElements[assigned[i]];
        }
      }
    }
    return new MapMatching(match, rho, named);
  }

  /** The element matched to component {@code k}, or {@code −1}. */
  public int elementOf(int component) {
    return elementOfComponent[component];
  }

  /** The component matched to element {@code j}, or {@code −1}. */
  public int componentOf(int element) {
    for (int k = 0; k < elementOfComponent.length; k++) {
      if (elementOfComponent[k] == element) {
        return k;
      }
    }
    return -1;
  }

  /** Pearson correlation of component {@code k}'s map with element {@code j}'s map. */
  public double correlation(int component, int element) {
    return correlation[component][element];
  }

  /** Whether component {@code k}'s element was named by the user (not matched by correlation). */
  public boolean namedByUser(int component) {
    return named[component];
  }

  /** Pearson correlation over the pixels where both values are finite; 0 when either is constant there. */
  public static double correlation(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("maps of " + a.length + " and " + b.length + " pixels");
    }
    double sa = 0;
    double sb = 0;
    long n = 0;
    for (int p = 0; p < a.length; p++) {
      if (Double.isFinite(a[p]) && Double.isFinite(b[p])) {
        sa += a[p];
        sb += b[p];
        n++;
      }
    }
    if (n < 2) {
      return 0;
    }
    double ma = sa / n;
    double mb = sb / n;
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int p = 0; p < a.length; p++) {
      if (Double.isFinite(a[p]) && Double.isFinite(b[p])) {
        double da = a[p] - ma;
        double db = b[p] - mb;
        sab += da * db;
        saa += da * da;
        sbb += db * db;
      }
    }
    return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
  }

  private static int[] range(int n) {
    int[] out = new int[n];
    Arrays.setAll(out, i -> i);
    return out;
  }
}
