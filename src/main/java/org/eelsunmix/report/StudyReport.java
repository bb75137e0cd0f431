package org.eelsunmix.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.text.StringEscapeUtils;
import org.eelsunmix.core.BadInputException;
import org.jfree.chart.JFreeChart;

/**
 * The study report: a self-contained folder ({@code index.html} and PNG charts, no other file or network access)
 * rendered from a study output folder ({@link StudyData}), the seed study's figures and tables for every cell of
 * the grid:
 *
 * <ul>
 *   <li>NMSE per method (bars, log axis; the seed's Fig. 4) and SAD per method (bars; Fig. 5), per endmember and
 *       their mean, with mean ± std error bars over the replicates;
 *   <li>the methods' ranks (1 = lowest mean in the cell) with the units run and failed, and their fit seconds
 *       (mean ± std; the seed's Table 3, also across cells at the top);
 *   <li>the paired comparisons (mean and median difference a − b on the same cubes, the bootstrap interval, the
 *       Wilcoxon signed-rank p-value and the better method);
 *   <li>the example replicate: each method's endmembers over the true ones (energy axis in eV) and its abundance
 *       maps beside the true maps.
 * </ul>
 *
 * <p>Every image carries its point count ({@code data-points}: data values drawn, or finite map pixels) and its plot
 * area in image pixels ({@code data-plot="x y width height"}); the page's small script marks each image that loaded
 * ({@code data-loaded}) and counts them, so a headless browser can check the page as a person would. The folder is
 * written atomically: built in a hidden temporary sibling, then renamed over the target. Spark-free.
 */
public final class StudyReport {
  private StudyReport() {}

  /** What was written: the folder, its cells and its images. */
  public record Written(Path folder, int cells, int images) {}

  private static final int BAR_W = 640;
  private static final int BAR_H = 420;
  private static final int SPECTRUM_W = 760;
  private static final int SPECTRUM_H = 420;

  /**
   * Renders the report of the study folder {@code study} into {@code out} (replacing it when {@code overwrite}).
   *
   * @throws BadInputException naming the study file that is missing or malformed, or {@code out} when it exists and
   *     {@code overwrite} is false; checked before any chart is drawn
   */
  public static Written write(Path study, Path out, boolean overwrite) throws IOException {
    return write(study, out, overwrite, study.toAbsolutePath().normalize().toString());
  }

  /**
   * As {@link #write(Path, Path, boolean)}, naming the study folder {@code shownAs} on the page (e.g. where a study
   * being committed will be, when its report is rendered inside the temporary folder).
   */
  public static Written write(Path study, Path out, boolean overwrite, String shownAs) throws IOException {
    if (Files.exists(out) && !overwrite) {
      throw new BadInputException(out.toString(), "exists (give --overwrite to replace it)");
    }
    StudyData data = StudyData.read(study);
    Path target = out.toAbsolutePath().normalize();
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    Files.createDirectory(tmp);
    try {
      Page page = new Page(tmp, data.name());
      page.html(study, shownAs, data, Instant.now());
      replace(tmp, target);
      return new Written(target, data.cells().size(), page.images());
    } finally {
      deleteTree(tmp); // nothing left when the rename happened
    }
  }

  /** Moves folder {@code tmp} to {@code target}; an old {@code target} is moved aside first and then removed. */
  private static void replace(Path tmp, Path target) throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      old = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".old");
      Files.move(target, old);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
      Files.move(tmp, target);
    }
    if (old != null) {
      deleteTree(old);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** The page being built: writes each chart's PNG into the folder as it goes. */
  private static final class Page {
    private final HtmlPage page;
    private final StringBuilder sb;

    Page(Path folder, String name) {
      this.page = new HtmlPage("Study " + name, "td.best{font-weight:bold}\n"
          + "table.maps td{border:none;padding:2px;vertical-align:top}\ntable.maps img{width:330px}\n",
          FileSink.under(folder));
      this.sb = page.html();
    }

    int images() {
      return page.images();
    }

    String html(Path study, String shownAs, StudyData data, Instant generated) throws IOException {
      sb.append("<h1>").append(esc("Study " + data.name())).append("</h1>\n<p>From <code>")
          .append(esc(shownAs)).append("</code>, rendered ")
          .append(esc(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC)
              .format(generated)))
          .append(". ").append(data.cells().size()).append(" cell(s), methods: ")
          .append(esc(String.join(", ", data.methods()))).append(". Bars are means over the replicates with ")
          .append("± 1 sample standard deviation as error bars (on the log axis a lower end at or below zero is ")
          .append("drawn to the axis). ").append(HtmlPage.imageCheck()).append("</p>\n");
      sb.append("<ul>\n");
      for (StudyData.Cell c : data.cells()) {
        sb.append("<li><a href=\"#").append(anchor(c.cell())).append("\">")
            .append(esc(cellTitle(c))).append("</a></li>\n");
      }
      sb.append("</ul>\n");
      timeTable(data);
      for (StudyData.Cell c : data.cells()) {
        cell(study, data, c);
      }
      return page.finish("index.html");
    }

    /** The seed's Table 3: fit seconds per method (rows) and cell (columns). */
    private void timeTable(StudyData data) {
      sb.append("<h2>Time per method (seconds per fit, mean ± std)</h2>\n<table><tr><th>method</th>");
      for (StudyData.Cell c : data.cells()) {
        sb.append("<th>").append(esc(cellTitle(c))).append("</th>");
      }
      sb.append("</tr>\n");
      for (String m : data.methods()) {
        sb.append("<tr><td>").append(esc(m)).append("</td>");
        for (StudyData.Cell c : data.cells()) {
          StudyData.Aggregate a = find(data, c.cell(), m, "", "mean_sad");
          sb.append("<td class=\"num\">").append(a == null ? "–" : pm(a.secondsMean(), a.secondsStd()))
              .append("</td>");
        }
        sb.append("</tr>\n");
      }
      sb.append("</table>\n");
    }

    private void cell(Path study, StudyData data, StudyData.Cell c) throws IOException {
      int n = c.cell();
      String prefix = String.format("cell-%04d", n);
      sb.append("<section id=\"").append(anchor(n)).append("\"><h2>").append(esc(cellTitle(c))).append("</h2>\n<p>");
      List<String> axes = new ArrayList<>();
      c.axes().forEach((k, v) -> axes.add(k + " = " + v));
      sb.append(esc(String.join(", ", axes))).append("</p>\n<div class=\"row\">\n");
      image(prefix + "-nmse.png", bars(data, n, "nmse", "mean_nmse", "NMSE per method", "NMSE", true),
          BAR_W, BAR_H, "NMSE per method, cell " + n);
      image(prefix + "-sad.png", bars(data, n, "sad", "mean_sad", "SAD per method", "SAD (rad)", false), BAR_W,
          BAR_H, "SAD per method, cell " + n);
      sb.append("</div>\n");
      rankTable(data, n);
      pairedTable(data, n);
      example(study, data, n, prefix);
      sb.append("</section>\n");
    }

    /** Bars of {@code metric} per endmember and of {@code meanMetric} ("mean"), one colour per method. */
    private JFreeChart bars(StudyData data, int cell, String metric, String meanMetric, String title, String label,
        boolean log) {
      List<BarChart.Bar> bars = new ArrayList<>();
      LinkedHashSet<String> endmembers = new LinkedHashSet<>();
      for (StudyData.Aggregate a : data.aggregate()) {
        if (a.cell() == cell && a.metric().equals(metric) && !a.endmember().isEmpty()) {
          endmembers.add(a.endmember());
        }
      }
      int replicates = 0;
      for (String e : endmembers) {
        for (String m : data.methods()) {
          StudyData.Aggregate a = find(data, cell, m, e, metric);
          if (a != null && a.count() > 0) {
            bars.add(bar(a, e));
          }
        }
      }
      for (String m : data.methods()) {
        StudyData.Aggregate a = find(data, cell, m, "", meanMetric);
        if (a != null && a.count() > 0) {
          bars.add(bar(a, "mean"));
          replicates = Math.max(replicates, a.count());
        }
      }
      return BarChart.of(title + " (n = " + replicates + ")", "endmember", label, data.methods(), bars, log);
    }

    private static BarChart.Bar bar(StudyData.Aggregate a, String category) {
      boolean spread = Double.isFinite(a.std());
      return new BarChart.Bar(a.method(), category, a.mean(), spread ? a.mean() - a.std() : Double.NaN,
          spread ? a.mean() + a.std() : Double.NaN);
    }

    private void rankTable(StudyData data, int cell) {
      sb.append("<h3>Methods: rank (1 = lowest mean in this cell) and time</h3>\n<table><tr><th>method</th>")
          .append("<th>units ok</th><th>failed</th><th>mean SAD (rad)</th><th>95 % interval</th><th>rank</th>")
          .append("<th>mean NMSE</th><th>95 % interval</th><th>rank</th><th>RMSE (counts)</th>")
          .append("<th>seconds per fit</th></tr>\n");
      for (String m : data.methods()) {
        StudyData.Aggregate sad = find(data, cell, m, "", "mean_sad");
        StudyData.Aggregate nmse = find(data, cell, m, "", "mean_nmse");
        StudyData.Aggregate rmse = find(data, cell, m, "", "rmse");
        StudyData.Aggregate any = sad != null ? sad : nmse;
        if (any == null) {
          continue;
        }
        sb.append("<tr><td>").append(esc(m)).append("</td><td class=\"num\">").append(any.count())
            .append("</td><td class=\"num\">").append(any.failed()).append("</td>");
        for (StudyData.Aggregate a : new StudyData.Aggregate[] {sad, nmse}) {
          if (a == null) {
            sb.append("<td>–</td><td>–</td><td>–</td>");
            continue;
          }
          sb.append("<td class=\"num\">").append(pm(a.mean(), a.std())).append("</td><td class=\"num\">")
              .append(interval(a.ciLow(), a.ciHigh())).append("</td><td class=\"num")
              .append(a.rank() == 1 ? " best" : "").append("\">")
              .append(Double.isFinite(a.rank()) ? Integer.toString((int) a.rank()) : "–").append("</td>");
        }
        sb.append("<td class=\"num\">").append(rmse == null ? "–" : pm(rmse.mean(), rmse.std()))
            .append("</td><td class=\"num\">").append(pm(any.secondsMean(), any.secondsStd())).append("</td></tr>\n");
      }
      sb.append("</table>\n");
    }

    private void pairedTable(StudyData data, int cell) {
      List<StudyData.Paired> rows = data.paired().stream().filter(p -> p.cell() == cell).toList();
      sb.append("<h3>Paired comparisons (same cubes; difference = a − b)</h3>\n");
      if (rows.isEmpty()) {
        sb.append("<p>None (fewer than two methods, or no paired.csv).</p>\n");
        return;
      }
      sb.append("<table><tr><th>metric</th><th>method a</th><th>method b</th><th>n</th><th>mean diff</th>")
          .append("<th>median diff</th><th>bootstrap 95 %</th><th>Wilcoxon p</th><th>better</th></tr>\n");
      for (StudyData.Paired p : rows) {
        sb.append("<tr><td>").append(esc(p.metric())).append("</td><td>").append(esc(p.methodA()))
            .append("</td><td>").append(esc(p.methodB())).append("</td><td class=\"num\">").append(p.n())
            .append("</td><td class=\"num\">").append(num(p.meanDiff())).append("</td><td class=\"num\">")
            .append(num(p.medianDiff())).append("</td><td class=\"num\">").append(interval(p.bootLow(), p.bootHigh()))
            .append("</td><td class=\"num\">").append(num(p.wilcoxonP())).append("</td><td")
            .append(p.better().isEmpty() ? ">no difference at 5 %" : " class=\"best\">" + esc(p.better()))
            .append("</td></tr>\n");
      }
      sb.append("</table>\n");
    }

    /** Replicate 0 of the cell: endmembers over the truth per method, then the maps beside the true maps. */
    private void example(Path study, StudyData data, int cell, String prefix) throws IOException {
      Path dir = StudyData.exampleFolder(study, cell);
      StudyData.Example truth = StudyData.example(dir, "truth");
      sb.append("<h3>Example: replicate 0</h3>\n");
      if (truth == null) {
        sb.append("<p>No example files (").append(esc(dir.toString())).append(").</p>\n");
        return;
      }
      List<String> who = new ArrayList<>();
      List<StudyData.Example> examples = new ArrayList<>();
      sb.append("<div class=\"row\">\n");
      for (int i = 0; i < data.methods().size(); i++) {
        String m = data.methods().get(i);
        StudyData.Example e = StudyData.example(dir, m);
        if (e == null) {
          sb.append("<p>").append(esc(m)).append(": no result on this replicate (failed).</p>\n");
          continue;
        }
        who.add(m);
        examples.add(e);
        List<SpectrumPlot.Curve> curves = new ArrayList<>();
        for (int r = 0; r < truth.names().size(); r++) {
          curves.add(new SpectrumPlot.Curve("true " + truth.names().get(r), truth.spectra()[r], true, r));
          int k = e.names().indexOf(truth.names().get(r));
          if (k >= 0) {
            curves.add(new SpectrumPlot.Curve(m + " " + truth.names().get(r), e.spectra()[k], false, r));
          }
        }
        image(prefix + "-m" + i + "-endmembers.png", SpectrumPlot.chart(e.energies(), "eV", curves, List.of(),
            m + ": endmembers (solid) over the truth (dashed)", "intensity (counts)"), SPECTRUM_W, SPECTRUM_H,
            m + " endmembers over the true endmembers, cell " + cell);
      }
      sb.append("</div>\n");
      if (truth.maps() == null) {
        sb.append("<p>No true maps (truth-maps.npy).</p>\n");
        return;
      }
      sb.append("<table class=\"maps\"><tr><th>truth</th>");
      for (String m : who) {
        sb.append("<th>").append(esc(m)).append("</th>");
      }
      sb.append("</tr>\n");
      for (int r = 0; r < truth.names().size(); r++) {
        String name = truth.names().get(r);
        sb.append("<tr><td>");
        map(prefix + "-truth-" + r + ".png", truth, r, "true " + name);
        sb.append("</td>");
        for (int i = 0; i < who.size(); i++) {
          StudyData.Example e = examples.get(i);
          sb.append("<td>");
          if (e.maps() != null && e.names().indexOf(name) >= 0) {
            map(prefix + "-m" + data.methods().indexOf(who.get(i)) + "-map-" + r + ".png", e,
                e.names().indexOf(name), who.get(i) + ": " + name);
          } else {
            sb.append("no map");
          }
          sb.append("</td>");
        }
        sb.append("</tr>\n");
      }
      sb.append("</table>\n");
    }

    private void map(String file, StudyData.Example e, int r, String title) throws IOException {
      Charts.Rendered img = MapImages.render(e.maps().map(r), e.maps().height(), e.maps().width(), 0, 1,
          title + " abundance", "abundance", Double.NaN, "");
      write(file, img, title + " abundance map");
    }

    private void image(String file, JFreeChart chart, int w, int h, String alt) throws IOException {
      page.chart(file, chart, w, h, alt);
    }

    private void write(String file, Charts.Rendered img, String alt) throws IOException {
      page.image(file, img, alt);
    }
  }

  private static StudyData.Aggregate find(StudyData data, int cell, String method, String endmember,
      String metric) {
    for (StudyData.Aggregate a : data.aggregate()) {
      if (a.cell() == cell && a.method().equals(method) && a.endmember().equals(endmember)
          && a.metric().equals(metric)) {
        return a;
      }
    }
    return null;
  }

  private static String cellTitle(StudyData.Cell c) {
    return "Cell " + c.cell() + (c.label().isBlank() ? "" : ": " + c.label());
  }

  private static String anchor(int cell) {
    return String.format("cell-%04d", cell);
  }

  private static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "–";
  }

  private static String pm(double mean, double std) {
    return Double.isFinite(std) ? num(mean) + " ± " + num(std) : num(mean);
  }

  private static String interval(double lo, double hi) {
    return Double.isFinite(lo) && Double.isFinite(hi) ? "[" + num(lo) + ", " + num(hi) + "]" : "–";
  }

  static String esc(String s) {
    return HtmlPage.esc(s);
  }
}
