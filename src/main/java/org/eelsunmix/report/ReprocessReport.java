package org.eelsunmix.report;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The summary page of a reprocessing output folder ({@code report/index.html}): the model, a table of the
 * processed acquisitions (shape, energy axis, RMSE, when), the skipped files with their reasons, then per
 * acquisition its abundance maps (each followed by its standard-deviation map when the model gave them, BLU), its RMSE
 * map and its spectra plot. Images are linked, not embedded, from
 * {@code ../acquisitions/<id>/} ({@link AcquisitionProducts}); the page itself is plain HTML with inline CSS.
 */
public final class ReprocessReport {
  private ReprocessReport() {}

  /** A file that was not processed, and why. */
  public record Skipped(String path, String reason, Instant when) {}

  /**
   * The page.
   *
   * @param model description of the model applied
   * @param endmemberPlot file name (inside the report folder) of the model's endmember plot
   * @param acquisitions processed acquisitions, in the order to show them
   * @param skipped rejected files
   */
  public static String html(String model, String endmemberPlot, List<AcquisitionSummary> acquisitions,
      List<Skipped> skipped, Instant generated) {
    HtmlPage page = new HtmlPage("eels-unmix reprocessing report",
        ".maps img{margin:4px 8px 4px 0}\ncode{font-size:13px}\n", null);
    StringBuilder sb = page.html();
    sb.append("<h1>eels-unmix reprocessing report</h1>\n<p>Generated ").append(esc(when(generated)))
        .append(". Model: <code>").append(esc(model)).append("</code>. ")
        .append(acquisitions.size()).append(" acquisition(s) processed, ").append(skipped.size())
        .append(" file(s) skipped.</p>\n");
    sb.append("<h2>Model endmembers</h2>\n<img src=\"").append(esc(endmemberPlot))
        .append("\" alt=\"model endmember spectra\">\n");

    sb.append("<h2>Acquisitions</h2>\n<table><tr><th>acquisition</th><th>source</th><th>format</th>")
        .append("<th>shape (rows × cols × channels)</th><th>energy axis</th><th>pixel size</th>")
        .append("<th>mean RMSE (counts)</th><th>max RMSE (counts)</th><th>processed</th></tr>\n");
    for (AcquisitionSummary a : acquisitions) {
      sb.append("<tr><td><a href=\"#").append(esc(a.id())).append("\">").append(esc(a.id())).append("</a></td><td>")
          .append(esc(a.sourcePath())).append("</td><td>").append(esc(a.format())).append("</td><td class=\"num\">")
          .append(a.height()).append(" × ").append(a.width()).append(" × ").append(a.axis().channels())
          .append("</td><td>").append(esc(axis(a))).append("</td><td>").append(esc(pixel(a)))
          .append("</td><td class=\"num\">").append(num(a.rmseMean())).append("</td><td class=\"num\">")
          .append(num(a.rmseMax())).append("</td><td>").append(esc(when(a.processedAt())))
          .append("</td></tr>\n");
    }
    sb.append("</table>\n");

    sb.append("<h2>Skipped files</h2>\n");
    if (skipped.isEmpty()) {
      sb.append("<p>None.</p>\n");
    } else {
      sb.append("<table><tr><th>file</th><th>reason</th><th>when</th></tr>\n");
      for (Skipped s : skipped) {
        sb.append("<tr><td>").append(esc(s.path())).append("</td><td>").append(esc(s.reason())).append("</td><td>")
            .append(esc(when(s.when()))).append("</td></tr>\n");
      }
      sb.append("</table>\n");
    }

    for (AcquisitionSummary a : acquisitions) {
      String dir = "../acquisitions/" + a.id() + "/";
      sb.append("<section id=\"").append(esc(a.id())).append("\"><h2>").append(esc(a.id())).append("</h2>\n<p>")
          .append(a.height()).append(" × ").append(a.width()).append(" pixels, ").append(esc(axis(a)))
          .append("; mean RMSE ").append(num(a.rmseMean())).append(" counts. Mean abundances: ");
      for (int r = 0; r < a.endmembers().size(); r++) {
        sb.append(r > 0 ? ", " : "").append(esc(a.endmembers().get(r))).append(' ')
            .append(String.format(Locale.ROOT, "%.3f", a.meanAbundances()[r]));
      }
      sb.append(". Files: <a href=\"").append(esc(dir)).append("\">").append(esc(dir))
          .append("</a> (16-bit TIFF maps: value = round(65535 × abundance); profiles.csv; endmembers/*.msa).</p>\n")
          .append("<div class=\"maps\">\n");
      for (int r = 0; r < a.endmembers().size(); r++) {
        String png = dir + "maps/" + AcquisitionProducts.mapName(r, a.endmembers().get(r)) + ".png";
        sb.append("<img src=\"").append(esc(png)).append("\" alt=\"").append(esc(a.endmembers().get(r)))
            .append(" abundance map\">\n");
        if (a.abundancesStd()) { // the model's uncertainty of that map, beside it
          String stdPng = dir + "maps/" + AcquisitionProducts.mapName(r, a.endmembers().get(r)) + "-std.png";
          sb.append("<img src=\"").append(esc(stdPng)).append("\" alt=\"").append(esc(a.endmembers().get(r)))
              .append(" abundance standard deviation map\">\n");
        }
      }
      sb.append("<img src=\"").append(esc(dir)).append("maps/rmse.png\" alt=\"RMSE map\">\n</div>\n")
          .append("<img src=\"").append(esc(dir)).append("spectra.png\" alt=\"endmember spectra\">\n</section>\n");
    }
    return page.end();
  }

  private static String axis(AcquisitionSummary a) {
    return String.format(Locale.ROOT, "%d channels, %.6g–%.6g %s (%.4g %s/channel)", a.axis().channels(),
        a.axis().offset(), a.axis().end(), a.axis().units(), a.axis().scale(), a.axis().units());
  }

  private static String pixel(AcquisitionSummary a) {
    return Double.isFinite(a.pixelSize()) && a.pixelSize() > 0
        ? MapImages.length(a.pixelSize(), a.pixelUnits()) : "unknown";
  }

  private static final java.time.format.DateTimeFormatter WHEN =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(java.time.ZoneOffset.UTC);

  private static String when(Instant t) {
    return WHEN.format(t);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.4g", v);
  }

  private static String esc(String s) {
    return HtmlPage.esc(s);
  }
}
