package org.eelsunmix.cli;

import static org.eelsunmix.cli.CliErrorsTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.SpectralAngle;
import org.eelsunmix.eval.Matching;
import org.eelsunmix.io.CsvText;
import org.eelsunmix.maps.LineProfile;
import org.eelsunmix.spark.AcquisitionMaps;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.spark.ml.UnmixingModel;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compare through the real command line on a generated co-ru-pt acquisition, whose truth says which component is
 * Co and which Ru: the components named by correlation with the BS maps must be the ones whose spectra are closest
 * to the true Co and Ru spectra, and the profiles must be the LineProfile sums of the written maps.
 */
class CompareCommandTest {
  static final String RU = "Ru-M=230:272,282:340";
  static final String CO = "Co-L=690:772,776:840";

  @TempDir
  static Path dir;
  static String store;
  static String out;
  static CliTestSupport.Run compare;

  @BeforeAll
  static void run() {
    store = dir.resolve("store").toString();
    CliTestSupport.Run gen = CliTestSupport.run("generate", "--set", "co-ru-pt", "--size", "32", "--block", "8",
        "--filter", "3", "--out", store);
    assertEquals(0, gen.code(), gen.err());
    out = dir.resolve("compare").toString();
    compare = CliTestSupport.run("compare", "--store", store, "--methods", "vca-fcls,nmf", "-R", "3", "--edge", RU,
        "--edge", CO, "--along", "y", "--width", "3", "--region", "4:28,0:32", "--out", out);
    assertEquals(0, compare.code(), compare.err());
  }

  @Test
  void componentsAreNamedAsTheTruthNamesThem() throws Exception {
    Endmembers truth = SyntheticGenerator.truth(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(32)
        .withBlock(8).withFilter(3), 0).endmembers();
    List<List<String>> matching = csv(out + "/matching.csv");
    assertEquals(6, matching.size(), "3 components for each of 2 methods");
    for (String method : List.of("vca-fcls", "nmf")) {
      Endmembers estimated = UnmixingModel.load(TestSpark.session(), out + "/methods/" + method + "/model")
          .endmembers();
      Matching bySpectrum = Matching.bySpectralAngle(truth, estimated);
      Map<String, Integer> named = new HashMap<>();
      for (List<String> row : matching) {
        if (row.get(0).equals(method) && !row.get(2).isEmpty()) {
          named.put(row.get(2), Integer.parseInt(row.get(1)));
          assertEquals("correlation", row.get(3));
          double rho = Double.parseDouble(row.get(row.get(2).equals("Ru-M") ? 5 : 6));
          // NMF's components stay partly mixed (0.82 for Co here), VCA-FCLS's follow the BS maps closely (> 0.9).
          assertTrue(rho > (method.equals("nmf") ? 0.7 : 0.9), method + " " + row + ": its map follows the BS map");
        }
      }
      assertEquals(2, named.size(), method + " " + matching);
      int co = truth.names().indexOf("Co");
      int ru = truth.names().indexOf("Ru");
      assertEquals(bySpectrum.estimateOf(co), named.get("Co-L"), method);
      assertEquals(bySpectrum.estimateOf(ru), named.get("Ru-M"), method);
      double sad = SpectralAngle.between(truth.spectrum(co), estimated.spectrum(named.get("Co-L")));
      if (method.equals("vca-fcls")) { // NMF's Co spectrum stays a mixture (SAD 0.30 here), named right all the same
        assertTrue(sad < 0.05, method + " Co SAD " + sad);
      }
    }
    assertTrue(compare.out().contains("Co-L") && compare.out().contains("vca-fcls"), compare.out());
  }

  @Test
  void profilesAreTheLineSumsOfTheWrittenMaps() throws Exception {
    var acq = new SeriesStore(TestSpark.session(), store).acquisition("co-ru-pt-r0000");
    double[] bs = AcquisitionMaps.readScalar(TestSpark.session().read().schema(PixelSchema.ELEMENTAL_MAP)
        .parquet(out + "/bs/Co-L"), acq, "signal");
    List<LineProfile.Line> expected = LineProfile.of(bs, 32, 32, LineProfile.Axis.Y, new LineProfile.Region(4, 28,
        0, 32), 3);
    assertEquals(11, expected.size(), "32 rows in lines of 3");
    List<List<String>> profiles = csv(out + "/profiles.csv");
    List<List<String>> coBs = profiles.stream().filter(r -> r.get(0).equals("Co-L") && r.get(1).equals("BS"))
        .toList();
    assertEquals(expected.size(), coBs.size());
    double max = 0;
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).sum(), Double.parseDouble(coBs.get(i).get(7)), 1e-9 * Math.abs(expected.get(i)
          .sum()));
      max = Math.max(max, Math.abs(Double.parseDouble(coBs.get(i).get(9))));
    }
    assertEquals(1.0, max, 1e-12, "normalised to the largest |mean|");
    for (String source : List.of("vca-fcls", "nmf")) {
      assertEquals(11, profiles.stream().filter(r -> r.get(0).equals("Ru-M") && r.get(1).equals(source)).count());
    }
  }

  @Test
  void thePageShowsEveryMapAndChartWithData() throws Exception {
    // 2 BS maps, 2 methods × 2 named maps, 2 × 1 other component, 2 endmember and 2 profile charts: 12.
    assertTrue(compare.out().contains("report/index.html"), compare.out());
    String html = Files.readString(Path.of(out, "report/index.html"));
    assertTrue(html.contains("Co-L") && html.contains("&rho; = "), "the naming table");
    org.eelsunmix.report.BrowserCheck.everyImageLoadsWithData(Path.of(out, "report/index.html"), 12, dir);
  }

  @Test
  void eachMethodFolderIsAnUnmixOutputThatExports() {
    CliTestSupport.Run export = CliTestSupport.run("export", "--results", out + "/methods/nmf", "--store", store,
        "--to", dir.resolve("exported").toString());
    assertEquals(0, export.code(), export.err());
    assertTrue(Files.exists(dir.resolve("exported/abundances.npy")));
  }

  @Test
  void badEdgesNamesAndRegionsAreRefusedNamingTheOption() {
    String o = dir.resolve("bad").toString();
    assertRefused(CliTestSupport.run("compare", "--store", store, "--edge", "Co-L=700:770", "--out", o), "--edge");
    assertRefused(CliTestSupport.run("compare", "--store", store, "--edge", CO, "--edge", CO, "--out", o), "--edge");
    assertRefused(CliTestSupport.run("compare", "--store", store, "--edge", CO, "--name", "nmf:5=Co-L", "--out", o), "--name");
    assertRefused(CliTestSupport.run("compare", "--store", store, "--edge", CO, "--name", "nmf:0=Fe-L", "--out", o), "--name");
    assertRefused(CliTestSupport.run("compare", "--store", store, "--edge", "Co-L=100:150,160:200", "--out", o), "--edge");
    assertRefused(CliTestSupport.run("compare", "--store", store, "--edge", CO, "--region", "0:40,0:32", "--out", o), "region");
  }

  private static List<List<String>> csv(String file) throws Exception {
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      return CsvText.read(in, file);
    }
  }
}
