package org.eelsunmix.eval;

import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;

/**
 * Normalised mean squared error of abundance maps, the abundance metric of the synthetic study (Palsson et al.,
 * IEEE Access 2018, §IV):
 *
 * <pre>  NMSE(Z, Ẑ) = ‖Z − Ẑ‖²_F / ‖Z‖²_F</pre>
 *
 * for a true map Z and its estimate Ẑ (the map of the estimated endmember matched to Z's endmember). 0 is perfect,
 * 1 is what an all-zero estimate scores. It is undefined (NaN) for an all-zero true map.
 */
public final class Nmse {

  private Nmse() {
  }

  /** NMSE of one map: {@code Σ(z − ẑ)² / Σz²}; NaN when {@code z} is all zero. */
  public static double of(double[] truthMap, double[] estimatedMap) {
    if (truthMap.length != estimatedMap.length) {
      throw new IllegalArgumentException("maps of " + truthMap.length + " and " + estimatedMap.length + " pixels");
    }
    double error = 0;
    double norm = 0;
    for (int p = 0; p < truthMap.length; p++) {
      double d = truthMap[p] - estimatedMap[p];
      error += d * d;
      norm += truthMap[p] * truthMap[p];
    }
    return norm == 0 ? Double.NaN : error / norm;
  }

  /**
   * NMSE of each true map against the estimated map matched to it; NaN for a true endmember left unmatched.
   *
   * @throws BadInputException naming the estimated abundances when their size or endmember count does not fit
   */
  public static double[] perMap(Abundances truth, Abundances estimated, Matching matching) {
    if (truth.height() != estimated.height() || truth.width() != estimated.width()) {
      throw new BadInputException("estimated abundances", String.format(
          "maps are %d x %d pixels but the true maps are %d x %d", estimated.height(), estimated.width(),
          truth.height(), truth.width()));
    }
    if (truth.count() != matching.trueCount() || estimated.count() != matching.estimatedCount()) {
      throw new BadInputException("estimated abundances", String.format(
          "%d estimated and %d true maps do not fit a matching of %d estimated to %d true endmembers",
          estimated.count(), truth.count(), matching.estimatedCount(), matching.trueCount()));
    }
    double[] t = truth.values();
    double[] e = estimated.values();
    int rt = truth.count();
    int re = estimated.count();
    double[] nmse = new double[rt];
    for (int r = 0; r < rt; r++) {
      int j = matching.estimateOf(r);
      if (j < 0) {
        nmse[r] = Double.NaN;
        continue;
      }
      double error = 0;
      double norm = 0;
      for (int p = 0; p < truth.pixels(); p++) {
        double z = t[p * rt + r];
        double d = z - e[p * re + j];
        error += d * d;
        norm += z * z;
      }
      nmse[r] = norm == 0 ? Double.NaN : error / norm;
    }
    return nmse;
  }
}
