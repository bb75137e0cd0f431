package org.eelsunmix.report;

import java.util.Locale;
import org.eelsunmix.core.Abundances;

/**
 * Interim abundance profiles of one acquisition, until the project's {@code LineProfile} kernel is merged (the
 * reprocessing job calls only {@link #csv}, the one place to switch): the mean abundance of each endmember in every
 * column (profile along x, averaged over rows) and in every row (profile along y, averaged over columns). For a
 * line scan the x profile is the scan itself.
 *
 * <p>CSV columns: {@code direction} ({@code x} or {@code y}), {@code index} (column or row), {@code position}
 * ({@code index × pixel size}, empty when the pixel size is unknown), {@code units}, then one column per endmember
 * (its mean abundance).
 */
public final class AbundanceProfiles {
  private AbundanceProfiles() {}

  /** The profiles as CSV text (header line first). */
  public static String csv(Abundances a, java.util.List<String> names, double pixelSize, String pixelUnits) {
    int r = a.count();
    StringBuilder sb = new StringBuilder("direction,index,position,units");
    for (String n : names) {
      sb.append(',').append(n.replaceAll("[,\"\\s]", "_"));
    }
    sb.append('\n');
    double[] mean = new double[r];
    boolean scaled = Double.isFinite(pixelSize) && pixelSize > 0;
    for (int dir = 0; dir < 2; dir++) {
      boolean alongX = dir == 0;
      int n = alongX ? a.width() : a.height();
      int across = alongX ? a.height() : a.width();
      for (int i = 0; i < n; i++) {
        java.util.Arrays.fill(mean, 0);
        for (int j = 0; j < across; j++) {
          for (int k = 0; k < r; k++) {
            mean[k] += alongX ? a.get(j, i, k) : a.get(i, j, k);
          }
        }
        sb.append(alongX ? 'x' : 'y').append(',').append(i).append(',')
            .append(scaled ? String.format(Locale.ROOT, "%.6g", i * pixelSize) : "").append(',')
            .append(scaled && pixelUnits != null ? pixelUnits : "");
        for (int k = 0; k < r; k++) {
          sb.append(',').append(String.format(Locale.ROOT, "%.6g", mean[k] / across));
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }
}
