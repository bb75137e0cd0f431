package org.eelsunmix.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.maps.LineProfile;
import org.eelsunmix.maps.MapMatching;
import org.eelsunmix.report.Comparison;
import org.eelsunmix.report.ComparisonPage;
import org.eelsunmix.report.ComparisonTables;
import org.eelsunmix.spark.Acquisition;
import org.eelsunmix.spark.AcquisitionMaps;
import org.eelsunmix.spark.AtomicOutput;
import org.eelsunmix.spark.ElementalMaps;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.ResultFiles;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.ml.UnmixingEstimator;
import org.eelsunmix.spark.ml.UnmixingMethods;
import org.eelsunmix.spark.ml.UnmixingModel;
import org.eelsunmix.unmix.EnergyWindow;
import org.eelsunmix.unmix.PowerLawBackground;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code compare}: the seed study's real-data comparison (its Figs 7–10) for any acquisition. Unmixes one
 * acquisition with several methods, computes a background-subtraction map per given edge, names each method's
 * components by the element whose BS map they correlate with best ({@link MapMatching}; or as the user names them),
 * and profiles every element across one region from every method and from BS ({@link Comparison}). Writes,
 * atomically into one folder:
 *
 * <pre>
 *   methods/&lt;method&gt;/     what unmix writes (model/, abundances/, endmembers/*.msa): apply and export take it
 *   bs/&lt;element&gt;/         the element's BS maps (Parquet, as bs writes them)
 *   matching.csv, profiles.csv   ({@link ComparisonTables})
 *   report/index.html + PNG      the page ({@link ComparisonPage})
 * </pre>
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Unmix one acquisition with several methods and set their maps beside background-subtraction "
        + "maps of the elements' edges: matched components, maps and line profiles (the seed study's real-data "
        + "comparison).")
final class CompareCommand extends SparkCommand {
  @Option(names = "--store", required = true, description = "series store (written by ingest, import-npy or "
      + "generate)")
  String store;

  @Option(names = "--acquisition", paramLabel = "ID", description = "acquisition to compare on (default: the only "
      + "one in the store)")
  String acquisition;

  @Option(names = "--methods", split = ",", defaultValue = "vca-fcls,nmf,ica", completionCandidates =
      UnmixingMethods.Names.class, description = "methods, comma-separated, each at its reference settings: "
      + "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
  List<String> methods;

  @Option(names = "--edge", required = true, paramLabel = "NAME=E1:E2,E3:E4", description = "an element's edge: "
      + "its name, the pre-edge window where the power law is fitted and the signal window, eV (e.g. "
      + "Co-L=700:770,775:830); repeat for each element")
  List<String> edges;

  @Option(names = {"-R", "--endmembers"}, description = "endmembers per method (default: the number of --edge)")
  Integer endmembers;

  @Option(names = "--seed", defaultValue = "0", description = "random seed (default 0)")
  long seed;

  @Option(names = "--name", paramLabel = "METHOD:K=ELEMENT", description = "name a component yourself instead of "
      + "matching it by correlation, e.g. nmf:2=Pt (repeatable)")
  List<String> names = new ArrayList<>();

  @Option(names = "--along", defaultValue = "y", description = "direction of the profiles: x (one point per "
      + "column) or y (one point per row; default, across horizontal layers)")
  String along;

  @Option(names = "--region", paramLabel = "x0:x1,y0:y1", description = "pixels the profiles cover, ends excluded "
      + "(default: the whole map)")
  String region;

  @Option(names = "--width", defaultValue = "3", paramLabel = "N", description = "adjacent rows (along y) or "
      + "columns (along x) summed into each profile point (default 3, as the seed's 3-row profiles)")
  int width;

  @Option(names = "--pixel-size", description = "size of a pixel, for the distance column (default: none)")
  Double pixelSize;

  @Option(names = "--pixel-units", defaultValue = "nm", description = "units of --pixel-size (default nm)")
  String pixelUnits;

  @Mixin
  MethodOptions options;

  @Option(names = "--out", required = true, description = "output folder")
  String out;

  @Option(names = "--overwrite", description = "replace an existing output folder")
  boolean overwrite;

  /** One element's edge, as given. */
  record Edge(String name, EnergyWindow preEdge, EnergyWindow signal) {
    static Edge parse(String text) {
      int eq = text.indexOf('=');
      String[] windows = eq < 0 ? new String[0] : text.substring(eq + 1).split(",", -1);
      if (eq <= 0 || windows.length != 2) {
        throw new BadInputException("--edge", "expected NAME=E1:E2,E3:E4 (pre-edge, then signal window, eV; e.g. "
            + "Co-L=700:770,775:830), got '" + text + "'");
      }
      String name = text.substring(0, eq).strip();
      if (!name.matches("[A-Za-z0-9._-]+")) {
        throw new BadInputException("--edge", "element name '" + name + "' may hold only letters, digits and . _ -");
      }
      return new Edge(name, EnergyWindow.parse("--edge " + name + " pre-edge", windows[0]),
          EnergyWindow.parse("--edge " + name + " signal", windows[1]));
    }
  }

  @Override
  public Integer call() throws Exception {
    List<Edge> parsed = new ArrayList<>();
    for (String e : edges) {
      Edge edge = Edge.parse(e);
      if (parsed.stream().anyMatch(p -> p.name().equals(edge.name()))) {
        throw new BadInputException("--edge", "element '" + edge.name() + "' is given twice");
      }
      parsed.add(edge);
    }
    List<String> elements = parsed.stream().map(Edge::name).toList();
    List<String> chosen = new ArrayList<>(new LinkedHashSet<>(methods.stream()
        .map(m -> UnmixingMethods.byName(m).name()).toList()));
    int r = endmembers == null ? parsed.size() : endmembers;
    Map<String, UnmixingEstimator<?, ?>> estimators = new LinkedHashMap<>();
    for (String m : chosen) {
      estimators.put(m, options.estimator(m, r, seed)); // validates R and every option before Spark starts
    }
    Map<String, int[]> given = given(chosen, elements, r);
    LineProfile.Axis axisAlong = LineProfile.Axis.parse(along, "--along");

    SparkSession spark = spark();
    SeriesStore series = new SeriesStore(spark, store);
    Acquisition acq = acquisition != null ? series.acquisition(acquisition) : onlyAcquisition(series);
    LineProfile.Region profileRegion = region == null ? LineProfile.Region.whole(acq.width(), acq.height())
        : LineProfile.Region.parse(region);
    new LineProfile(axisAlong, profileRegion, width, acq.width(), acq.height()); // refuses a bad region or width now
    EnergyAxis axis = acq.axis();
    if (r > axis.channels()) {
      throw new BadInputException("--endmembers", "asked for " + r + " endmembers but the spectra have only "
          + axis.channels() + " channels");
    }
    List<PowerLawBackground> kernels = new ArrayList<>();
    for (Edge e : parsed) {
      kernels.add(new PowerLawBackground(axis, e.preEdge(), e.signal())); // windows checked against the axis
    }
    Dataset<Row> pixels = series.pixels(List.of(acq.id())).persist(StorageLevel.MEMORY_AND_DISK());
    List<Comparison.MethodResult> results = new ArrayList<>();
    List<double[]> bsMaps = new ArrayList<>();
    try {
      AtomicOutput.commit(spark.sparkContext().hadoopConfiguration(), out, overwrite, tmp -> {
        for (int e = 0; e < parsed.size(); e++) {
          String dir = tmp + "/bs/" + elements.get(e);
          describe("compare: BS map of " + elements.get(e) + " (" + (e + 1) + "/" + parsed.size() + ")");
          SeriesStore.writePartitioned(ElementalMaps.compute(pixels, kernels.get(e), series.path(SeriesStore.PIXELS)),
              dir, spark);
          bsMaps.add(AcquisitionMaps.readScalar(spark.read().schema(PixelSchema.ELEMENTAL_MAP).parquet(dir), acq,
              "signal"));
        }
        int done = 0;
        for (var entry : estimators.entrySet()) {
          String m = entry.getKey();
          String dir = tmp + "/methods/" + m;
          describe("compare: fitting " + m + " (" + (++done) + "/" + estimators.size() + ")");
          long t0 = System.nanoTime();
          UnmixingModel<?> model = entry.getValue().fit(pixels);
          double seconds = (System.nanoTime() - t0) / 1e9;
          model.write().save(dir + "/model");
          describe("compare: abundances of " + m);
          ResultFiles.writeAbundances(spark, model.transform(pixels), dir + "/abundances");
          ResultFiles.writeMsa(spark, model.endmembers(), dir + "/endmembers");
          Abundances maps = AcquisitionMaps.read(spark.read().schema(PixelSchema.ABUNDANCES).parquet(dir
              + "/abundances"), dir + "/abundances", acq, PixelSchema.ABUNDANCES_COL, model.endmembers().count());
          double[][] components = new double[maps.count()][];
          for (int k = 0; k < maps.count(); k++) {
            components[k] = maps.map(k);
          }
          MapMatching matching = MapMatching.byCorrelation(components, bsMaps.toArray(new double[0][]),
              given.get(m));
          results.add(new Comparison.MethodResult(m, model.endmembers(), maps, matching, seconds));
        }
        Comparison c = new Comparison(acq.id(), acq.height(), acq.width(), elements, bsMaps, results, axisAlong,
            profileRegion, width, pixelSize == null ? Double.NaN : pixelSize, pixelUnits);
        FileSystem fs = new Path(tmp).getFileSystem(spark.sparkContext().hadoopConfiguration());
        try (OutputStream o = fs.create(new Path(tmp, "matching.csv"), true)) {
          ComparisonTables.writeMatching(c, o);
        }
        try (OutputStream o = fs.create(new Path(tmp, "profiles.csv"), true)) {
          ComparisonTables.writeProfiles(c, o);
        }
        String edgesText = String.join("; ", parsed.stream().map(e -> e.name() + ": pre-edge " + e.preEdge()
            + ", signal " + e.signal()).toList());
        ComparisonPage.write(c, String.format(Locale.ROOT, "%d endmembers per method, seed %d. Edges: %s.", r, seed,
            edgesText), rel -> fs.create(new Path(tmp, "report/" + rel), true));
        writeConfig(tmp);
      });
    } finally {
      pixels.unpersist();
    }
    System.out.print(table(elements, results));
    System.out.println("wrote " + out + " (methods/, bs/, matching.csv, profiles.csv, report/index.html)");
    return 0;
  }

  /** {@code --name METHOD:K=ELEMENT} as, per method, the element index given to each component (or −1). */
  private Map<String, int[]> given(List<String> chosen, List<String> elements, int r) {
    Map<String, int[]> out = new LinkedHashMap<>();
    for (String text : names) {
      int colon = text.indexOf(':');
      int eq = text.indexOf('=');
      if (colon <= 0 || eq <= colon + 1) {
        throw new BadInputException("--name", "expected METHOD:K=ELEMENT (e.g. nmf:2=Pt), got '" + text + "'");
      }
      String method = UnmixingMethods.byName(text.substring(0, colon).strip()).name();
      if (!chosen.contains(method)) {
        throw new BadInputException("--name", "method '" + method + "' is not among --methods " + chosen);
      }
      int k;
      try {
        k = Integer.parseInt(text.substring(colon + 1, eq).strip());
      } catch (NumberFormatException e) {
        throw new BadInputException("--name", "component in '" + text + "' is not a number");
      }
      if (k < 0 || k >= r) {
        throw new BadInputException("--name", "component " + k + " in '" + text + "' is outside 0.." + (r - 1));
      }
      int element = elements.indexOf(text.substring(eq + 1).strip());
      if (element < 0) {
        throw new BadInputException("--name", "element '" + text.substring(eq + 1).strip() + "' is not one of "
            + "the --edge names " + elements);
      }
      int[] g = out.computeIfAbsent(method, m -> {
        int[] none = new int[r];
        java.util.Arrays.fill(none, -1);
        return none;
      });
      g[k] = element;
    }
    return out;
  }

  private static Acquisition onlyAcquisition(SeriesStore series) {
    List<Acquisition> all = series.listAcquisitions();
    if (all.size() != 1) {
      throw new BadInputException("--acquisition", all.isEmpty() ? series.root() + " holds no acquisitions"
          : series.root() + " holds " + all.size() + " acquisitions: name one");
    }
    return all.get(0);
  }

  /** The printed summary: per method, its fit time and each element's component with its correlation. */
  static String table(List<String> elements, List<Comparison.MethodResult> results) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-10s %8s", "method", "fit (s)"));
    for (String e : elements) {
      sb.append(String.format(Locale.ROOT, "  %-16s", e));
    }
    sb.append('\n');
    for (Comparison.MethodResult m : results) {
      sb.append(String.format(Locale.ROOT, "%-10s %8.2f", m.method(), m.seconds()));
      for (int e = 0; e < elements.size(); e++) {
        int k = m.matching().componentOf(e);
        sb.append(String.format(Locale.ROOT, "  %-16s", k < 0 ? "-" : String.format(Locale.ROOT, "#%d ρ=%.3f%s", k,
            m.matching().correlation(k, e), m.matching().namedByUser(k) ? " (named)" : "")));
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
