package org.eelsunmix.report;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.eelsunmix.io.CsvText;
import org.eelsunmix.maps.LineProfile;

/**
 * The tables of a {@link Comparison}, as CSV ({@link CsvText}):
 *
 * <pre>
 *   matching.csv   method, component, element (empty = none), matched_by (correlation | user), seconds, then
 *                  rho_&lt;element&gt;: the Pearson correlation of the component's map with each element's BS map
 *   profiles.csv   element, source (BS or the method), line, first, last, position (pixels), distance
 *                  (position × pixel size; empty when unknown), sum, mean, normalised (mean ÷ the profile's
 *                  largest |mean|, so BS counts and abundance fractions share one axis)
 * </pre>
 */
public final class ComparisonTables {
  private ComparisonTables() {}

  /** Writes {@code matching.csv} onto {@code out}. */
  public static void writeMatching(Comparison c, OutputStream out) throws IOException {
    List<String> header = new ArrayList<>(List.of("method", "component", "element", "matched_by", "seconds"));
    for (String e : c.elements()) {
      header.add("rho_" + e);
    }
    List<List<String>> rows = new ArrayList<>();
    for (Comparison.MethodResult m : c.methods()) {
      for (int k = 0; k < m.endmembers().count(); k++) {
        int e = m.matching().elementOf(k);
        List<String> row = new ArrayList<>(List.of(m.method(), String.valueOf(k), e >= 0 ? c.elements().get(e) : "",
            e < 0 ? "" : m.matching().namedByUser(k) ? "user" : "correlation", String.valueOf(m.seconds())));
        for (int j = 0; j < c.elements().size(); j++) {
          row.add(String.valueOf(m.matching().correlation(k, j)));
        }
        rows.add(row);
      }
    }
    CsvText.write(out, header, rows);
  }

  /** Writes {@code profiles.csv} onto {@code out}. */
  public static void writeProfiles(Comparison c, OutputStream out) throws IOException {
    List<List<String>> rows = new ArrayList<>();
    for (Comparison.Profile p : c.profiles()) {
      double[] normalised = normalised(p.lines());
      for (LineProfile.Line l : p.lines()) {
        rows.add(List.of(p.element(), p.source(), String.valueOf(l.index()), String.valueOf(l.first()),
            String.valueOf(l.last()), String.valueOf(l.position()), Double.isNaN(c.pixelSize()) ? ""
            : String.valueOf(l.position() * c.pixelSize()), String.valueOf(l.sum()), String.valueOf(l.mean()),
            String.valueOf(normalised[l.index()])));
      }
    }
    CsvText.write(out, List.of("element", "source", "line", "first", "last", "position", "distance", "sum", "mean",
        "normalised"), rows);
  }

  /** A profile's means divided by its largest finite |mean| (NaN when it has none). */
  public static double[] normalised(List<LineProfile.Line> lines) {
    double max = largestMagnitude(lines);
    return lines.stream().mapToDouble(l -> max > 0 ? l.mean() / max : Double.NaN).toArray();
  }

  /** The largest finite |mean| of a profile (0 when none). */
  static double largestMagnitude(List<LineProfile.Line> lines) {
    double max = 0;
    for (LineProfile.Line l : lines) {
      if (Double.isFinite(l.mean())) {
        max = Math.max(max, Math.abs(l.mean()));
      }
    }
    return max;
  }
}
