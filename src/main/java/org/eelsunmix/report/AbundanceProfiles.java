package org.eelsunmix.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.maps.LineProfile;

/**
 * Abundance profiles of one acquisition, written by the reprocessing job: for each endmember the mean abundance in
 * every column (profile along x, over all rows) and in every row (profile along y, over all columns), computed by
 * the project's one profile kernel, {@link LineProfile}, with lines one pixel wide over the whole map. For a line
 * scan the x profile is the scan itself.
 *
 * <p>CSV columns: {@code direction} ({@code x} or {@code y}), {@code index} (column or row), {@code position}
 * ({@code index × pixel size}, empty when the pixel size is unknown), {@code units}, then one column per endmember
 * (its mean abundance).
 */
public final class AbundanceProfiles {
  private AbundanceProfiles() {}

  /** The profiles as CSV text (header line first). */
  public static String csv(Abundances a, List<String> names, double pixelSize, String pixelUnits) {
    int r = a.count();
    StringBuilder sb = new StringBuilder("direction,index,position,units");
    for (String n : names) {
      sb.append(',').append(n.replaceAll("[,\"\\s]", "_"));
    }
    sb.append('\n');
    boolean scaled = Double.isFinite(pixelSize) && pixelSize > 0;
    LineProfile.Region whole = LineProfile.Region.whole(a.width(), a.height());
    for (LineProfile.Axis along : LineProfile.Axis.values()) {
      List<List<LineProfile.Line>> profiles = new ArrayList<>(r);
      for (int k = 0; k < r; k++) {
        profiles.add(LineProfile.of(a.map(k), a.width(), a.height(), along, whole, 1));
      }
      for (int i = 0; i < profiles.get(0).size(); i++) {
        sb.append(along.name().toLowerCase(Locale.ROOT)).append(',').append(i).append(',')
            .append(scaled ? String.format(Locale.ROOT, "%.6g", i * pixelSize) : "").append(',')
            .append(scaled && pixelUnits != null ? pixelUnits : "");
        for (int k = 0; k < r; k++) {
          sb.append(',').append(String.format(Locale.ROOT, "%.6g", profiles.get(k).get(i).mean()));
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }
}
