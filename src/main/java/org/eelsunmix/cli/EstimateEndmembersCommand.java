package org.eelsunmix.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.spark.AtomicOutput;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.ml.SpectralPca;
import org.eelsunmix.spark.ml.SpectralPcaModel;
import org.eelsunmix.unmix.Pca;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code estimate-endmembers}: how many endmembers acquisitions of a series store hold, from one distributed
 * aggregation of the spectral moments ({@link SpectralPca}): HySime's estimate (Bioucas-Dias &amp; Nascimento 2008)
 * and the scree elbow's, with the scree of the uncentred second moment {@code Σ y yᵀ / N} (as HyperSpy's
 * {@code decomposition()}, which does not centre: R endmembers give R eigenvalues above the noise). Prints the
 * table; {@code --out} also writes it as CSV ({@code component,eigenvalue,explained_variance,cumulative}), atomically.
 */
@Command(name = "estimate-endmembers", mixinStandardHelpOptions = true,
    description = "Estimate the number of endmembers (HySime and the scree elbow) and print the scree.")
final class EstimateEndmembersCommand extends SparkCommand {
  @Option(names = "--store", required = true, description = "series store (written by generate, import-npy or ingest)")
  String store;

  @Option(names = "--acquisition", paramLabel = "ID", description = "acquisition(s) to analyse together "
      + "(repeatable; default: all in the store)")
  List<String> acquisitions = new ArrayList<>();

  @Option(names = "--components", defaultValue = "20", description = "eigenvalues in the scree and the elbow search "
      + "(default 20; at most the channel count)")
  int components;

  @Option(names = "--out", description = "also write the scree as a CSV file here")
  String out;

  @Option(names = "--overwrite", description = "replace an existing --out file")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    if (components < 3) {
      throw new BadInputException("--components", "the scree needs at least 3 eigenvalues, got " + components);
    }
    Dataset<Row> pixels = new SeriesStore(spark(), store).pixels(acquisitions);
    describe("estimate-endmembers: spectral moments");
    SpectralPcaModel model = new SpectralPca().setNumComponents(1).setScreeLength(components).setCentred(false)
        .fit(pixels);
    Pca pca = model.pca();
    String table = table(pca);
    System.out.printf("HySime: %d endmembers%nscree elbow: %d endmembers (of the first %d eigenvalues)%n",
        model.hysimeK(), model.elbowK(), pca.eigenvalues().length);
    System.out.printf("%9s %14s %12s %12s%n", "component", "eigenvalue", "explained", "cumulative");
    table.lines().skip(1).map(l -> l.split(",")).forEach(c -> System.out.printf("%9s %14s %12s %12s%n", c[0], c[1],
        c[2], c[3]));
    if (out != null) {
      AtomicOutput.writeFile(spark().sparkContext().hadoopConfiguration(), out, overwrite,
          o -> o.write(table.getBytes(StandardCharsets.UTF_8)));
      System.out.println("wrote " + out);
    }
    return 0;
  }

  /** The scree as CSV text with a header line. */
  static String table(Pca pca) {
    double[] ratio = pca.explainedVarianceRatio();
    double[] cumulative = pca.cumulativeRatio();
    StringBuilder sb = new StringBuilder("component,eigenvalue,explained_variance,cumulative\n");
    for (int i = 0; i < ratio.length; i++) {
      sb.append(String.format(Locale.ROOT, "%d,%.6g,%.6g,%.6g%n", i + 1, pca.eigenvalues()[i], ratio[i],
          cumulative[i]));
    }
    return sb.toString();
  }
}
