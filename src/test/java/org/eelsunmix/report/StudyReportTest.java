package org.eelsunmix.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.Unmixing;
import org.eelsunmix.eval.UnmixingScores;
import org.eelsunmix.io.NpyWriter;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.unmix.Fcls;
import org.eelsunmix.unmix.Nmf;
import org.eelsunmix.unmix.Vca;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The study report from a study folder built here from real data: two cells of small synthetic co-ru-pt cubes
 * (filter 1 and 5), three replicates each, VCA-FCLS and NMF run in memory and scored with {@link UnmixingScores},
 * the layout's CSV and npy files written with the statistics computed here (mean, sample std, median, t interval,
 * rank). The page is then checked as a person would: rendered in headless Chromium, every image loaded and every
 * chart shows data (its point count, and coloured pixels inside its plot area).
 */
class StudyReportTest {
  private static final List<String> METHODS = List.of("vca-fcls", "nmf");
  private static final int REPLICATES = 3;
  /** Student's t quantile 0.975 at 2 degrees of freedom (n = 3). */
  private static final double T_975_2 = 4.302652729911275;
  private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setRecordSeparator('\n').build();

  @TempDir
  static Path tmp;
  private static Path study;
  /** Mean SAD of (cell, method), as computed here. */
  private static final Map<String, Double> MEAN_SAD = new LinkedHashMap<>();

  @BeforeAll
  static void buildStudy() throws IOException {
    study = tmp.resolve("study");
    Files.createDirectories(study.resolve("examples"));
    int[] filters = {1, 5};
    List<List<Object>> cells = new ArrayList<>();
    List<List<Object>> aggregate = new ArrayList<>();
    List<List<Object>> paired = new ArrayList<>();
    for (int cell = 0; cell < filters.length; cell++) {
      String label = "filter=" + filters[cell] + (cell == 1 ? " <mixed> & \"blurred\"" : ""); // escaping checked
      cells.add(List.of(cell, "co-ru-pt", Integer.toString(filters[cell]), label));
      SyntheticGenerator.Options o = SyntheticGenerator.Options.builtin("co-ru-pt").withSize(24).withBlock(8)
          .withFilter(filters[cell]).withDose(1e5).withSeed(7 + cell);
      // scores[method][replicate]; per-endmember values [method][metric 0 sad / 1 nmse][r][replicate]
      Map<String, double[][]> image = new LinkedHashMap<>();
      Map<String, double[][][]> perEndmember = new LinkedHashMap<>();
      Map<String, double[]> seconds = new LinkedHashMap<>();
      List<String> names = null;
      for (int rep = 0; rep < REPLICATES; rep++) {
        SyntheticCube cube = SyntheticGenerator.generate(o, rep);
        Endmembers truth = cube.truthEndmembers();
        names = truth.names();
        int r = truth.count();
        Path ex = StudyData.exampleFolder(study, cell);
        if (rep == 0) {
          Files.createDirectories(ex);
          writeExample(ex, "truth", truth, cube.truthAbundances());
        }
        for (String m : METHODS) {
          long t0 = System.nanoTime();
          Unmixing u = m.equals("vca-fcls") ? vcaFcls(cube, r, rep) : nmf(cube, r, rep);
          double s = (System.nanoTime() - t0) / 1e9;
          UnmixingScores sc = UnmixingScores.score(truth, cube.truthAbundances(), u.endmembers(), u.abundances(),
              cube.image());
          image.computeIfAbsent(m, k -> new double[3][REPLICATES]);
          image.get(m)[0][rep] = sc.meanSad();
          image.get(m)[1][rep] = sc.meanNmse();
          image.get(m)[2][rep] = sc.rmse();
          perEndmember.computeIfAbsent(m, k -> new double[2][r][REPLICATES]);
          for (int k = 0; k < r; k++) {
            perEndmember.get(m)[0][k][rep] = sc.sad()[k];
            perEndmember.get(m)[1][k][rep] = sc.nmse()[k];
          }
          seconds.computeIfAbsent(m, k -> new double[REPLICATES])[rep] = s;
          if (rep == 0) {
            int[] order = sc.permutation();
            Endmembers matched = new Endmembers(u.endmembers().permute(order).matrix(), names, truth.axis());
            writeExample(ex, m, matched, u.abundances().permute(order));
          }
        }
      }
      String[] metrics = {"sad", "nmse"};
      String[] imageMetrics = {"mean_sad", "mean_nmse", "rmse"};
      for (int mi = 0; mi < 3; mi++) {
        double[] means = METHODS.stream().mapToDouble(m -> 0).toArray();
        for (int j = 0; j < METHODS.size(); j++) {
          means[j] = mean(image.get(METHODS.get(j))[mi]);
        }
        for (int j = 0; j < METHODS.size(); j++) {
          String m = METHODS.get(j);
          aggregate.add(row(cell, filters[cell], m, "", imageMetrics[mi], image.get(m)[mi], rank(means, j),
              seconds.get(m)));
          if (mi == 0) {
            MEAN_SAD.put(cell + "/" + m, means[j]);
          }
        }
      }
      for (int e = 0; e < names.size(); e++) {
        for (int mi = 0; mi < 2; mi++) {
          double[] means = new double[METHODS.size()];
          for (int j = 0; j < METHODS.size(); j++) {
            means[j] = mean(perEndmember.get(METHODS.get(j))[mi][e]);
          }
          for (int j = 0; j < METHODS.size(); j++) {
            String m = METHODS.get(j);
            aggregate.add(row(cell, filters[cell], m, names.get(e), metrics[mi], perEndmember.get(m)[mi][e],
                rank(means, j), seconds.get(m)));
          }
        }
      }
      for (int mi = 0; mi < 2; mi++) {
        double[] d = new double[REPLICATES];
        for (int rep = 0; rep < REPLICATES; rep++) {
          d[rep] = image.get("vca-fcls")[mi][rep] - image.get("nmf")[mi][rep];
        }
        // The engine fills the bootstrap interval and the Wilcoxon p-value; here they stay empty (missing).
        paired.add(List.of(cell, "co-ru-pt", Integer.toString(filters[cell]), imageMetrics[mi], "vca-fcls", "nmf",
            REPLICATES, num(mean(d)), num(median(d)), "", "", "", ""));
      }
    }
    write(study.resolve("cells.csv"), List.of("cell", "set", "filter", "label"), cells);
    write(study.resolve("aggregate.csv"), List.of("cell", "set", "filter", "method", "endmember", "metric", "count",
        "failed", "mean", "std", "median", "ci_low", "ci_high", "rank", "seconds_mean", "seconds_std"), aggregate);
    write(study.resolve("paired.csv"), List.of("cell", "set", "filter", "metric", "method_a", "method_b", "n",
        "mean_diff", "median_diff", "boot_low", "boot_high", "wilcoxon_p", "better"), paired);
    Files.writeString(study.resolve("study.json"), "{\"name\": \"report-test <small>\", \"replicates\": 3}");
  }

  private static Unmixing vcaFcls(SyntheticCube cube, int r, int rep) {
    Vca.Result v = Vca.fit(cube.image(), new Vca.Options(r, 11 + rep));
    return new Unmixing(v.endmembers(), new Fcls(v.endmembers().matrix()).unmix(cube.image()));
  }

  private static Unmixing nmf(SyntheticCube cube, int r, int rep) {
    Unmixing u = Nmf.fit(cube.image(), new Nmf.Options(r, 11 + rep).withSumToOne(true)).unmixing();
    double total = 0;
    for (float v : cube.image().data()) {
      total += v;
    }
    return new Unmixing(u.endmembers().scaled(total / cube.image().pixels()), u.abundances());
  }

  private static List<Object> row(int cell, int filter, String method, String endmember, String metric,
      double[] values, int rank, double[] seconds) {
    double mean = mean(values);
    double std = std(values);
    double half = T_975_2 * std / Math.sqrt(values.length);
    return List.of(cell, "co-ru-pt", Integer.toString(filter), method, endmember, metric, values.length, 0,
        num(mean), num(std), num(median(values)), num(mean - half), num(mean + half), rank, num(mean(seconds)),
        num(std(seconds)));
  }

  /** 1 + the number of methods with a strictly lower mean (equal means share the lower rank). */
  private static int rank(double[] means, int j) {
    int rank = 1;
    for (double m : means) {
      rank += m < means[j] ? 1 : 0;
    }
    return rank;
  }

  private static void writeExample(Path dir, String who, Endmembers e, Abundances a) throws IOException {
    List<String> header = new ArrayList<>(List.of("energy_eV"));
    header.addAll(e.names());
    List<List<Object>> rows = new ArrayList<>();
    double[] energies = e.axis().energies();
    for (int b = 0; b < e.channels(); b++) {
      List<Object> row = new ArrayList<>(List.of(num(energies[b])));
      for (int r = 0; r < e.count(); r++) {
        row.add(num(e.spectrum(r)[b]));
      }
      rows.add(row);
    }
    write(dir.resolve(who + "-endmembers.csv"), header, rows);
    NpyWriter.write(dir.resolve(who + "-maps.npy"), new int[] {a.height(), a.width(), a.count()}, a.values());
  }

  private static void write(Path file, List<String> header, List<List<Object>> rows) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        CSVPrinter p = new CSVPrinter(w, CSV.builder().setHeader(header.toArray(new String[0])).build())) {
      for (List<Object> r : rows) {
        p.printRecord(r);
      }
    }
  }

  private static String num(double v) {
    return Double.toString(v);
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(Double.NaN);
  }

  private static double std(double[] v) {
    double m = mean(v);
    return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1));
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  @Test
  void thePageShowsTheStudysNumbersEscaped() throws IOException {
    Path out = tmp.resolve("page");
    StudyReport.Written w = StudyReport.write(study, out, false);
    assertEquals(2, w.cells());
    // Per cell: NMSE and SAD bars, 2 endmember charts, (1 + 2) × 3 maps.
    assertEquals(2 * (2 + 2 + 9), w.images());
    String html = Files.readString(out.resolve("index.html"));
    assertTrue(html.contains("filter=5 &lt;mixed&gt; &amp; &quot;blurred&quot;"), "escaped label");
    assertFalse(html.contains("<mixed>"), "raw label");
    assertTrue(html.contains("Study report-test &lt;small&gt;"), "study name from study.json");
    for (Map.Entry<String, Double> e : MEAN_SAD.entrySet()) {
      assertTrue(html.contains(String.format(Locale.ROOT, "%.4g", e.getValue())), "mean SAD of " + e.getKey());
    }
    try (var files = Files.list(out)) {
      assertEquals(w.images() + 1, files.count(), "index.html and the images, nothing else");
    }
    try (var siblings = Files.list(tmp)) {
      assertTrue(siblings.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary left");
    }
    BadInputException exists = assertThrows(BadInputException.class, () -> StudyReport.write(study, out, false));
    assertTrue(exists.getMessage().contains(out.toString()), exists.getMessage());
    assertEquals(w.images(), StudyReport.write(study, out, true).images());
  }

  @Test
  void aFolderWithoutTheStudyTablesIsBadInputNamingTheFile() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("not-a-study"));
    BadInputException e = assertThrows(BadInputException.class,
        () -> StudyReport.write(empty, tmp.resolve("r"), false));
    assertTrue(e.getMessage().contains("cells.csv"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("r")));
    Files.writeString(empty.resolve("cells.csv"), "cell,set,label\n0,a,x\n");
    Files.writeString(empty.resolve("aggregate.csv"), "cell,method\n0,m\n");
    e = assertThrows(BadInputException.class, () -> StudyReport.write(empty, tmp.resolve("r"), false));
    assertTrue(e.getMessage().contains("aggregate.csv") && e.getMessage().contains("endmember"), e.getMessage());
  }

  /** Headless Chromium loads the page: every image loads, and every chart and map shows data. */
  @Test
  void aBrowserLoadsEveryImageAndEveryChartHasData() throws Exception {
    Path out = tmp.resolve("browser");
    StudyReport.Written w = StudyReport.write(study, out, false);
    BrowserCheck.everyImageLoadsWithData(out.resolve("index.html"), w.images(), tmp);
  }
}
