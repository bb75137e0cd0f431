package org.eelsunmix.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.EnergyAxis;
import org.junit.jupiter.api.Test;

/** Profiles against hand-computed means; the summary round trip; the page escapes what it shows. */
class ProfilesAndReportTest {
  @Test
  void profilesAreColumnAndRowMeans() {
    // 2 rows x 3 cols, R = 2; endmember 0 abundances: row 0 = 0, 0.5, 1; row 1 = 1, 1, 0.
    double[] v = {0, 1, 0.5, 0.5, 1, 0, 1, 0, 1, 0, 0, 1};
    String csv = AbundanceProfiles.csv(new Abundances(2, 3, 2, v), List.of("Co", "Ru pure"), 2.0, "nm");
    List<String> lines = csv.lines().toList();
    assertEquals("direction,index,position,units,Co,Ru_pure", lines.get(0));
    assertEquals(List.of("x,0,0.00000,nm,0.500000,0.500000", "x,1,2.00000,nm,0.750000,0.250000",
        "x,2,4.00000,nm,0.500000,0.500000", "y,0,0.00000,nm,0.500000,0.500000",
        "y,1,2.00000,nm,0.666667,0.333333"), lines.subList(1, 6));
    String noScale = AbundanceProfiles.csv(new Abundances(1, 2, 1, new double[] {1, 1}), List.of("a"), Double.NaN,
        "");
    assertEquals("x,0,,,1.00000", noScale.lines().toList().get(1));
  }

  @Test
  void summaryRoundTripsAndThePageEscapesText() throws Exception {
    AcquisitionSummary s = new AcquisitionSummary("day2_si<1>", "file:/a/b c.dm4", "dm4", "ab12", 4, 5,
        EnergyAxis.ofEv(300, 0.5, 2048), 1.99, "nm", List.of("Co", "Ru"), new double[] {0.25, 0.75}, 12.5, 30.25,
        "vca-fcls model m1 at /models/x", Instant.parse("2026-11-25T01:02:03Z"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    s.store(bytes);
    AcquisitionSummary back = AcquisitionSummary.load(new ByteArrayInputStream(bytes.toByteArray()));
    assertEquals(s.id(), back.id());
    assertEquals(s.axis(), back.axis());
    assertEquals(s.endmembers(), back.endmembers());
    assertEquals(0.75, back.meanAbundances()[1]);
    assertEquals(30.25, back.rmseMax());
    assertEquals(s.processedAt(), back.processedAt());

    String html = ReprocessReport.html("m1", "endmembers.png", List.of(back),
        List.of(new ReprocessReport.Skipped("x.dm4", "energy axis <2048> differs", Instant.EPOCH)), Instant.EPOCH);
    assertTrue(html.contains("day2_si&lt;1&gt;") && !html.contains("si<1>"), html);
    assertTrue(html.contains("energy axis &lt;2048&gt; differs"), html);
    assertTrue(html.contains("4 × 5 × 2048"), html);
    assertTrue(html.contains("1 acquisition(s) processed, 1 file(s) skipped"), html);
  }

  /** A model with abundance standard deviations (BLU): their maps are written and shown beside the abundances. */
  @Test
  void standardDeviationMapsAreWrittenAndShownBesideTheAbundances() throws Exception {
    int h = 4;
    int w = 6;
    double[] a = new double[h * w * 2];
    double[] sd = new double[h * w * 2];
    for (int p = 0; p < h * w; p++) {
      a[2 * p] = p / 23.0;
      a[2 * p + 1] = 1 - p / 23.0;
      sd[2 * p] = 0.01 * p;
      sd[2 * p + 1] = 0.02;
    }
    EnergyAxis axis = EnergyAxis.ofEv(100, 1, 50);
    double[][] spectra = new double[2][50];
    spectra[0][3] = 1;
    spectra[1][7] = 1;
    org.eelsunmix.core.Endmembers e = new org.eelsunmix.core.Endmembers(spectra, List.of("Co", "Ru"), axis);
    AcquisitionSummary s = new AcquisitionSummary("si", "si.dm4", "dm4", "ab", h, w, axis, Double.NaN, "",
        e.names(), new double[] {0.5, 0.5}, 1, 2, "blu", Instant.EPOCH);
    java.util.Map<String, ByteArrayOutputStream> files = new java.util.TreeMap<>();
    AcquisitionProducts.write(new Abundances(h, w, 2, a), new Abundances(h, w, 2, sd), new double[h * w], e, s,
        path -> files.computeIfAbsent(path, k -> new ByteArrayOutputStream()));
    assertTrue(files.keySet().containsAll(List.of("maps/00-Co-std.png", "maps/00-Co-std.tif", "maps/01-Ru-std.png",
        "maps/01-Ru-std.tif")), files.keySet().toString());
    // The TIFF holds the standard deviations as the abundance maps hold theirs: round(65535 × value).
    java.awt.image.BufferedImage tif = javax.imageio.ImageIO.read(new ByteArrayInputStream(
        files.get("maps/00-Co-std.tif").toByteArray()));
    assertEquals(MapImages.toUnsigned16(0.01 * 13), tif.getRaster().getSample(1, 2, 0));
    AcquisitionSummary back = AcquisitionSummary.load(new ByteArrayInputStream(files.get("summary.properties")
        .toByteArray()));
    assertTrue(back.abundancesStd());
    String html = ReprocessReport.html("blu", "endmembers.png", List.of(back), List.of(), Instant.EPOCH);
    int map = html.indexOf("maps/00-Co.png");
    int std = html.indexOf("maps/00-Co-std.png");
    int next = html.indexOf("maps/01-Ru.png");
    assertTrue(map > 0 && std > map && next > std, "Co's std map right after Co's map: " + html);

    // Without standard deviations: no std files, no std images.
    files.clear();
    AcquisitionProducts.write(new Abundances(h, w, 2, a), new double[h * w], e, s,
        path -> files.computeIfAbsent(path, k -> new ByteArrayOutputStream()));
    assertTrue(files.keySet().stream().noneMatch(k -> k.contains("-std")), files.keySet().toString());
    assertTrue(!ReprocessReport.html("m", "e.png", List.of(s), List.of(), Instant.EPOCH).contains("-std.png"));
  }
}
