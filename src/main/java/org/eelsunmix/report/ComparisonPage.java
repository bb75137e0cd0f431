package org.eelsunmix.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.maps.LineProfile;

/**
 * The page of a {@link Comparison} ({@code report/index.html} + PNG), laid out as the seed study's real-data figures:
 * which component each method gave each element (with the map correlation that named it), the maps side by side
 * with the BS maps (one row per element: BS first, then each method's component), every method's endmembers over
 * the energy axis, and one line-profile chart per element with BS and every method. Profiles are drawn normalised
 * (each divided by its largest |value|: BS in counts and abundances as fractions share one axis; the raw sums are in
 * {@code profiles.csv}).
 */
public final class ComparisonPage {
  private static final int SPECTRUM_W = 760;
  private static final int SPECTRUM_H = 400;
  private static final int PROFILE_W = 700;
  private static final int PROFILE_H = 400;

  private ComparisonPage() {}

  /** Writes {@code index.html} and its images through {@code files}; returns the number of images. */
  public static int write(Comparison c, String description, FileSink files) throws IOException {
    HtmlPage page = new HtmlPage("Comparison on " + c.acquisition(),
        "table.maps td{border:none;padding:2px;vertical-align:top}\ntable.maps img{width:300px}\n", files);
    StringBuilder sb = page.html();
    sb.append("<h1>").append(HtmlPage.esc("Methods compared on " + c.acquisition())).append("</h1>\n<p>")
        .append(HtmlPage.esc(description)).append(' ').append(HtmlPage.imageCheck()).append("</p>\n");
    namingTable(c, sb);

    sb.append("<section><h2>Maps beside the background-subtraction maps</h2>\n<p>BS maps in counts (colour bar from ")
        .append("the 1st to the 99th percentile); abundance maps from 0 to 1.</p>\n<table class=\"maps\">\n");
    sb.append("<tr><td></td><td>BS</td>");
    for (Comparison.MethodResult m : c.methods()) {
      sb.append("<td>").append(HtmlPage.esc(m.method())).append("</td>");
    }
    sb.append("</tr>\n");
    for (int e = 0; e < c.elements().size(); e++) {
      String element = c.elements().get(e);
      sb.append("<tr><td>").append(HtmlPage.esc(element)).append("</td><td>");
      double[] bs = c.bsMaps().get(e);
      double[] range = percentiles(bs);
      page.image("bs-" + e + ".png", MapImages.render(bs, c.height(), c.width(), range[0], range[1], element
          + " BS map", "counts", c.pixelSize(), c.pixelUnits()), element + " background-subtraction map");
      sb.append("</td>");
      for (int mi = 0; mi < c.methods().size(); mi++) {
        Comparison.MethodResult m = c.methods().get(mi);
        int k = m.matching().componentOf(e);
        sb.append("<td>");
        if (k >= 0) {
          page.image("map-" + mi + "-" + k + ".png", MapImages.render(m.abundances().map(k), c.height(), c.width(),
              0, 1, m.method() + ": " + element, "abundance", c.pixelSize(), c.pixelUnits()),
              m.method() + " component " + k + " (" + element + ")");
        } else {
          sb.append("no component");
        }
        sb.append("</td>");
      }
      sb.append("</tr>\n");
    }
    unnamedRow(page, c);
    sb.append("</table></section>\n");

    sb.append("<section><h2>Endmembers</h2>\n<div class=\"row\">\n");
    for (int mi = 0; mi < c.methods().size(); mi++) {
      Comparison.MethodResult m = c.methods().get(mi);
      Endmembers em = m.endmembers();
      List<SpectrumPlot.Curve> curves = new ArrayList<>();
      int others = 0;
      for (int k = 0; k < em.count(); k++) {
        int e = m.matching().elementOf(k); // one colour per element on every method's chart
        int colour = e >= 0 ? e : c.elements().size() + others++;
        curves.add(new SpectrumPlot.Curve(m.label(k, c.elements()), em.spectrum(k), false, colour));
      }
      page.chart("endmembers-" + mi + ".png", SpectrumPlot.chart(em.axis().energies(), em.axis().units(), curves,
          List.of(), m.method() + " endmembers", "intensity"), SPECTRUM_W, SPECTRUM_H, m.method() + " endmembers");
    }
    sb.append("</div></section>\n");

    sb.append("<section><h2>Line profiles</h2>\n<p>").append(HtmlPage.esc(profileText(c)))
        .append("</p>\n<div class=\"row\">\n");
    List<Comparison.Profile> profiles = c.profiles();
    for (int e = 0; e < c.elements().size(); e++) {
      String element = c.elements().get(e);
      List<LineChart.Series> series = new ArrayList<>();
      for (Comparison.Profile p : profiles) {
        if (p.element().equals(element)) {
          boolean bs = p.source().equals("BS");
          int colour = bs ? -1 : methodIndex(c, p.source());
          series.add(new LineChart.Series(p.source(), positions(c, p.lines()), ComparisonTables.normalised(p.lines()), colour, bs));
        }
      }
      String x = Double.isNaN(c.pixelSize()) ? "position (pixels)" : "distance (" + c.pixelUnits() + ")";
      page.chart("profile-" + e + ".png", LineChart.of(element + " across the region", x, "normalised (÷ max)",
          series), PROFILE_W, PROFILE_H, element + " line profiles");
    }
    sb.append("</div></section>\n");
    page.finish("index.html");
    return page.images();
  }

  private static void namingTable(Comparison c, StringBuilder sb) {
    sb.append("<h2>Components named</h2>\n<p>Each method's component per element, matched by the Pearson correlation ")
        .append("of its map with the element's BS map (exact assignment), or named by the user.</p>\n")
        .append("<table><tr><th>method</th><th>fit (s)</th>");
    for (String e : c.elements()) {
      sb.append("<th>").append(HtmlPage.esc(e)).append("</th>");
    }
    sb.append("<th>other components</th></tr>\n");
    for (Comparison.MethodResult m : c.methods()) {
      sb.append("<tr><td>").append(HtmlPage.esc(m.method())).append("</td><td class=\"num\">")
          .append(String.format(Locale.ROOT, "%.2f", m.seconds())).append("</td>");
      for (int e = 0; e < c.elements().size(); e++) {
        int k = m.matching().componentOf(e);
        sb.append("<td>").append(k < 0 ? "–" : HtmlPage.esc(String.format(Locale.ROOT, "#%d, ρ = %.3f%s", k,
            m.matching().correlation(k, e), m.matching().namedByUser(k) ? " (named)" : ""))).append("</td>");
      }
      List<String> others = new ArrayList<>();
      for (int k = 0; k < m.endmembers().count(); k++) {
        if (m.matching().elementOf(k) < 0) {
          others.add("#" + k);
        }
      }
      sb.append("<td>").append(HtmlPage.esc(String.join(", ", others))).append("</td></tr>\n");
    }
    sb.append("</table>\n");
  }

  /** A last row with each method's components that no element took (e.g. a Pt matrix without an edge here). */
  private static void unnamedRow(HtmlPage page, Comparison c) throws IOException {
    boolean any = c.methods().stream().anyMatch(m -> {
      for (int k = 0; k < m.endmembers().count(); k++) {
        if (m.matching().elementOf(k) < 0) {
          return true;
        }
      }
      return false;
    });
    if (!any) {
      return;
    }
    StringBuilder sb = page.html();
    sb.append("<tr><td>other</td><td></td>");
    for (int mi = 0; mi < c.methods().size(); mi++) {
      Comparison.MethodResult m = c.methods().get(mi);
      sb.append("<td>");
      for (int k = 0; k < m.endmembers().count(); k++) {
        if (m.matching().elementOf(k) < 0) {
          page.image("map-" + mi + "-" + k + ".png", MapImages.render(m.abundances().map(k), c.height(), c.width(),
              0, 1, m.method() + ": component " + k, "abundance", c.pixelSize(), c.pixelUnits()),
              m.method() + " component " + k);
        }
      }
      sb.append("</td>");
    }
    sb.append("</tr>\n");
  }

  private static String profileText(Comparison c) {
    LineProfile.Region r = c.region();
    String dir = c.along() == LineProfile.Axis.Y ? "rows" : "columns";
    return String.format(Locale.ROOT, "Along %s over x %d:%d, y %d:%d; %d adjacent %s summed per point. Each curve is "
        + "divided by its largest |value| (raw sums in profiles.csv).", c.along().name().toLowerCase(Locale.ROOT),
        r.x0(), r.x1(), r.y0(), r.y1(), c.lineWidth(), dir);
  }

  private static int methodIndex(Comparison c, String method) {
    for (int i = 0; i < c.methods().size(); i++) {
      if (c.methods().get(i).method().equals(method)) {
        return i;
      }
    }
    return 0;
  }

  private static double[] positions(Comparison c, List<LineProfile.Line> lines) {
    double scale = Double.isNaN(c.pixelSize()) ? 1 : c.pixelSize();
    return lines.stream().mapToDouble(l -> l.position() * scale).toArray();
  }

  /** The 1st and 99th percentiles of the finite values (a flat map gets a unit range). */
  static double[] percentiles(double[] map) {
    double[] v = Arrays.stream(map).filter(Double::isFinite).sorted().toArray();
    if (v.length == 0) {
      return new double[] {0, 1};
    }
    double lo = v[(int) Math.floor(0.01 * (v.length - 1))];
    double hi = v[(int) Math.ceil(0.99 * (v.length - 1))];
    return hi > lo ? new double[] {lo, hi} : new double[] {lo, lo + 1};
  }
}
