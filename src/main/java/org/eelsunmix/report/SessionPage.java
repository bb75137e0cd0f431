package org.eelsunmix.report;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.Endmembers;

/**
 * The live session's page, the screen beside the microscope ({@code <out>/session/index.html} + PNG): it reloads
 * itself every few seconds; the newest acquisition's abundance maps, RMSE map and weighted endmembers drawn large;
 * a line per acquisition of the session (time, shape, mean RMSE, latency from "file complete" to "maps committed",
 * and a flag when its mean RMSE is far above the earlier ones', {@link RmseOutlier}); the model's facts and
 * endmembers; the files skipped and why. Drawn with {@link HtmlPage}, so its own script checks every image loaded.
 */
public final class SessionPage {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
      .withZone(ZoneId.systemDefault());

  private SessionPage() {}

  /**
   * One acquisition of the session, as its line shows it.
   *
   * @param id acquisition id
   * @param file its path below the watched folder
   * @param committedAt when its maps were committed
   * @param height pixels along y
   * @param width pixels along x
   * @param channels energy channels
   * @param rmseMean mean per-pixel RMSE (counts)
   * @param latencySeconds from the file being complete to its maps being committed
   * @param outlier whether its mean RMSE is far above the earlier acquisitions' ({@link RmseOutlier})
   */
  public record Line(String id, String file, Instant committedAt, int height, int width, int channels,
      double rmseMean, double latencySeconds, boolean outlier) {}

  /** A file skipped: its path, why, and when. */
  public record Skipped(String path, String reason, Instant at) {}

  /**
   * The newest acquisition's pictures.
   *
   * @param id acquisition id
   * @param maps its abundance maps
   * @param rmse its per-pixel RMSE, row-major
   * @param meanAbundances mean abundance per endmember (weights of the spectra chart)
   * @param pixelSize size of a pixel (NaN when unknown)
   * @param pixelUnits its units
   */
  public record Newest(String id, Abundances maps, double[] rmse, double[] meanAbundances, double pixelSize,
      String pixelUnits) {}

  /**
   * What the page shows.
   *
   * @param watched the folder watched
   * @param startedAt when the watcher started
   * @param modelFacts lines describing the model (method, where it came from, its summary)
   * @param endmembers the model's endmembers (null while the first acquisition is awaited to train it)
   * @param lines the session's acquisitions, oldest first
   * @param newest the newest acquisition's pictures, or null before the first one
   * @param skipped the files skipped during the session
   * @param status one line on what the watcher is doing (e.g. waiting for a file to settle)
   * @param refreshSeconds the page reloads itself after this many seconds (0: never)
   */
  public record Data(String watched, Instant startedAt, List<String> modelFacts, Endmembers endmembers,
      List<Line> lines, Newest newest, List<Skipped> skipped, String status, int refreshSeconds) {}

  /** Writes {@code index.html} and its images through {@code files}; returns the number of images. */
  public static int write(Data d, FileSink files) throws IOException {
    HtmlPage page = new HtmlPage("Live session: " + d.watched(),
        ".maps img{width:420px}\ntr.outlier td{background:#fde2e1}\n.flag{color:#b00020;font-weight:bold}\n"
            + ".newest{font-size:20px}\n", files);
    StringBuilder sb = page.html();
    if (d.refreshSeconds() > 0) {
      // Browsers honour a refresh <meta> in the body too; HtmlPage owns the head.
      sb.append("<meta http-equiv=\"refresh\" content=\"").append(d.refreshSeconds()).append("\">\n");
    }
    sb.append("<h1>Live session</h1>\n<p>Watching <code>").append(HtmlPage.esc(d.watched()))
        .append("</code> since ").append(HtmlPage.esc(TIME.format(d.startedAt()))).append("; ")
        .append(d.lines().size()).append(" acquisition(s) unmixed, ").append(d.skipped().size())
        .append(" file(s) skipped. ").append(HtmlPage.esc(d.status())).append(' ').append(HtmlPage.imageCheck())
        .append("</p>\n");
    newest(page, d);
    table(sb, d.lines());
    skipped(sb, d.skipped());
    sb.append("<section><h2>Model</h2>\n<ul>\n");
    for (String f : d.modelFacts()) {
      sb.append("<li>").append(HtmlPage.esc(f)).append("</li>\n");
    }
    sb.append("</ul>\n");
    Endmembers em = d.endmembers();
    if (em == null) {
      sb.append("<p>No model yet: it is trained on the first acquisition.</p></section>\n");
      page.finish("index.html");
      return page.images();
    }
    List<SpectrumPlot.Curve> curves = new ArrayList<>();
    for (int k = 0; k < em.count(); k++) {
      curves.add(new SpectrumPlot.Curve(em.names().get(k), em.spectrum(k), false));
    }
    page.chart("model-endmembers.png", SpectrumPlot.chart(em.axis().energies(), em.axis().units(), curves,
        List.of(), "model endmember spectra", "intensity (counts)"), 900, 420, "the model's endmember spectra");
    sb.append("</section>\n");
    page.finish("index.html");
    return page.images();
  }

  /** The newest acquisition: its maps and weighted endmembers, large. */
  private static void newest(HtmlPage page, Data d) throws IOException {
    StringBuilder sb = page.html();
    Newest n = d.newest();
    if (n == null) {
      sb.append("<p class=\"newest\">No acquisition unmixed yet.</p>\n");
      return;
    }
    Line last = d.lines().get(d.lines().size() - 1);
    sb.append("<section><h2 class=\"newest\">Newest: ").append(HtmlPage.esc(n.id())).append(" (")
        .append(HtmlPage.esc(TIME.format(last.committedAt()))).append(", ")
        .append(String.format(Locale.ROOT, "mean RMSE %.4g, %.2f s", last.rmseMean(), last.latencySeconds()))
        .append(")");
    if (last.outlier()) {
      sb.append(" <span class=\"flag\">does not fit the model: retrain or check the sample</span>");
    }
    sb.append("</h2>\n<div class=\"row maps\">\n");
    Abundances maps = n.maps();
    Endmembers em = d.endmembers();
    for (int k = 0; k < maps.count(); k++) {
      String name = em.names().get(k);
      page.image("newest-map-" + k + ".png", MapImages.render(maps.map(k), maps.height(), maps.width(), 0, 1,
          n.id() + ": " + name, "abundance", n.pixelSize(), n.pixelUnits()), name + " abundance of " + n.id());
    }
    double max = 0;
    for (double e : n.rmse()) {
      max = Math.max(max, Double.isFinite(e) ? e : 0);
    }
    page.image("newest-rmse.png", MapImages.render(n.rmse(), maps.height(), maps.width(), 0,
        max > 0 ? AcquisitionProducts.niceCeiling(max) : 1, n.id() + ": reconstruction RMSE", "RMSE (counts)",
        n.pixelSize(), n.pixelUnits()), "RMSE map of " + n.id());
    sb.append("</div>\n");
    page.chart("newest-spectra.png", SpectrumPlot.chart(em.axis().energies(), em.axis().units(),
        AcquisitionProducts.contributions(em, n.meanAbundances()), List.of(),
        n.id() + ": endmembers weighted by mean abundance", "intensity (counts)"), 1200, 460,
        "endmembers of " + n.id() + " weighted by their mean abundance");
    sb.append("</section>\n");
  }

  private static void table(StringBuilder sb, List<Line> lines) {
    sb.append("<section><h2>Acquisitions of the session</h2>\n<p>Latency: from the file being complete (its size "
        + "and time unchanged for the settle time) to its maps being committed. Flagged: mean RMSE above the median "
        + "+ ").append((int) RmseOutlier.FACTOR).append(" robust standard deviations (1.4826 × MAD, at least 1 % of "
        + "the median) of the earlier acquisitions' (from the ").append(RmseOutlier.MIN_EARLIER + 1)
        .append("th on).</p>\n<table>\n<tr><th>#</th><th>time</th><th>acquisition</th><th>file</th><th>shape "
        + "(H × W × channels)</th><th>mean RMSE</th><th>latency (s)</th><th>fits the model?</th></tr>\n");
    for (int i = lines.size() - 1; i >= 0; i--) { // newest first
      Line l = lines.get(i);
      sb.append(l.outlier() ? "<tr class=\"outlier\">" : "<tr>").append("<td class=\"num\">").append(i + 1)
          .append("</td><td>").append(HtmlPage.esc(TIME.format(l.committedAt()))).append("</td><td>")
          .append(HtmlPage.esc(l.id())).append("</td><td>").append(HtmlPage.esc(l.file())).append("</td><td>")
          .append(l.height()).append(" × ").append(l.width()).append(" × ").append(l.channels())
          .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%.4g", l.rmseMean()))
          .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%.2f", l.latencySeconds()))
          .append("</td><td>").append(l.outlier()
              ? "<span class=\"flag\">no: RMSE far above the session's; retrain or check the sample</span>" : "yes")
          .append("</td></tr>\n");
    }
    sb.append("</table></section>\n");
  }

  private static void skipped(StringBuilder sb, List<Skipped> skipped) {
    sb.append("<section><h2>Files skipped</h2>\n");
    if (skipped.isEmpty()) {
      sb.append("<p>None.</p></section>\n");
      return;
    }
    sb.append("<table>\n<tr><th>time</th><th>file</th><th>why</th></tr>\n");
    for (Skipped s : skipped) {
      sb.append("<tr><td>").append(HtmlPage.esc(TIME.format(s.at()))).append("</td><td>")
          .append(HtmlPage.esc(s.path())).append("</td><td>").append(HtmlPage.esc(s.reason()))
          .append("</td></tr>\n");
    }
    sb.append("</table></section>\n");
  }
}
