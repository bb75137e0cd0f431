package org.eelsunmix.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.Endmembers;

/**
 * The files made for one unmixed acquisition, beside its endmember spectra:
 *
 * <pre>
 *   maps/NN-name.tif     abundance of endmember NN, 16-bit grey ({@link MapImages}: stored = round(65535 × a))
 *   maps/NN-name.png     the same in colour with a colour bar (0 to 1)
 *   maps/NN-name-std.png its per-pixel standard deviation (models that give one, BLU), bar from 0 to a tick
 *   maps/NN-name-std.tif the same, 16-bit grey as the abundance map
 *   maps/rmse.png        per-pixel reconstruction RMSE (counts), colour bar from 0 to a tick above its maximum
 *   spectra.png          each endmember weighted by its mean abundance, and their sum (the mean fitted spectrum)
 *   profiles.csv         abundance profiles ({@link AbundanceProfiles}, through the LineProfile kernel)
 *   summary.properties   the facts the report shows ({@link AcquisitionSummary})
 * </pre>
 */
public final class AcquisitionProducts {
  private AcquisitionProducts() {}

  /** The file name stem of endmember {@code r}'s map: {@code NN-name}, unsafe characters replaced. */
  public static String mapName(int r, String name) {
    return String.format("%02d-%s", r, name.replaceAll("[^A-Za-z0-9._-]", "_"));
  }

  /**
   * Writes every file of one acquisition.
   *
   * @param maps the abundances (R maps)
   * @param rmse per-pixel RMSE, row-major {@code height × width}
   * @param summary what the report shows; its names and mean abundances label the figures
   */
  public static void write(Abundances maps, double[] rmse, Endmembers endmembers, AcquisitionSummary summary,
      FileSink sink) throws IOException {
    write(maps, null, rmse, endmembers, summary, sink);
  }

  /**
   * As {@link #write(Abundances, double[], Endmembers, AcquisitionSummary, FileSink)}, with the abundances' per-pixel
   * standard deviations {@code std} (R maps, or null when the model gives none); the summary written records
   * whether they were drawn.
   */
  public static void write(Abundances maps, Abundances std, double[] rmse, Endmembers endmembers,
      AcquisitionSummary summary, FileSink sink) throws IOException {
    summary = summary.withAbundancesStd(std != null);
    int h = maps.height();
    int w = maps.width();
    for (int r = 0; r < maps.count(); r++) {
      double[] map = maps.map(r);
      String stem = "maps/" + mapName(r, endmembers.names().get(r));
      try (OutputStream o = sink.create(stem + ".tif")) {
        MapImages.writeTiff16(map, h, w, o);
      }
      try (OutputStream o = sink.create(stem + ".png")) {
        MapImages.writePng(MapImages.renderPng(map, h, w, 0, 1, summary.id() + ": " + endmembers.names().get(r)
            + " abundance", "abundance", summary.pixelSize(), summary.pixelUnits()), o);
      }
    }
    for (int r = 0; std != null && r < std.count(); r++) {
      double[] map = std.map(r);
      double max = 0;
      for (double v : map) {
        max = Double.isFinite(v) ? Math.max(max, v) : max;
      }
      String stem = "maps/" + mapName(r, endmembers.names().get(r)) + "-std";
      try (OutputStream o = sink.create(stem + ".tif")) {
        MapImages.writeTiff16(map, h, w, o);
      }
      try (OutputStream o = sink.create(stem + ".png")) {
        MapImages.writePng(MapImages.renderPng(map, h, w, 0, max > 0 ? niceCeiling(max) : 1, summary.id() + ": "
            + endmembers.names().get(r) + " abundance std", "abundance std", summary.pixelSize(),
            summary.pixelUnits()), o);
      }
    }
    double top = summary.rmseMax() > 0 ? niceCeiling(summary.rmseMax()) : 1; // the bar ends on a tick
    try (OutputStream o = sink.create("maps/rmse.png")) {
      MapImages.writePng(MapImages.renderPng(rmse, h, w, 0, top, summary.id() + ": reconstruction RMSE",
          "RMSE (counts)", summary.pixelSize(), summary.pixelUnits()), o);
    }
    try (OutputStream o = sink.create("spectra.png")) {
      MapImages.writePng(SpectrumPlot.render(endmembers.axis(), contributions(endmembers,
          summary.meanAbundances()), summary.id() + ": endmembers weighted by mean abundance",
          "intensity (counts)", 900, 440), o);
    }
    try (OutputStream o = sink.create("profiles.csv")) {
      o.write(AbundanceProfiles.csv(maps, endmembers.names(), summary.pixelSize(), summary.pixelUnits())
          .getBytes(StandardCharsets.UTF_8));
    }
    try (OutputStream o = sink.create("summary.properties")) {
      summary.store(o);
    }
  }

  /**
   * The smallest multiple of a 1, 2 or 5 × 10ⁿ step (about 5 steps from 0) at or above {@code v > 0}, so the
   * colour bar ends on a tick.
   */
  static double niceCeiling(double v) {
    double step = niceStep(v);
    return Math.ceil(v / step - 1e-9) * step;
  }

  /** The 1, 2 or 5 × 10ⁿ step that cuts {@code span > 0} into about 5 (the rule of most plotting libraries). */
  static double niceStep(double span) {
    double raw = span / 5;
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    double m = raw / p;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
  }

  /** The curves of {@code spectra.png}: {@code ā_r · M_r} for each endmember, then their sum {@code Σ ā_r M_r}. */
  static List<SpectrumPlot.Curve> contributions(Endmembers e, double[] meanAbundances) {
    List<SpectrumPlot.Curve> curves = new ArrayList<>();
    double[] sum = new double[e.channels()];
    for (int r = 0; r < e.count(); r++) {
      double[] m = e.spectrum(r);
      for (int b = 0; b < m.length; b++) {
        m[b] *= meanAbundances[r];
        sum[b] += m[b];
      }
      curves.add(new SpectrumPlot.Curve(String.format(java.util.Locale.ROOT, "%s (mean abundance %.2f)",
          e.names().get(r), meanAbundances[r]), m, false));
    }
    curves.add(new SpectrumPlot.Curve("mean fitted spectrum (sum)", sum, true));
    return curves;
  }
}
