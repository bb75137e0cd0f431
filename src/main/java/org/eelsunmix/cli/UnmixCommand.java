package org.eelsunmix.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.spark.AtomicOutput;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.ResultFiles;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.ml.AutoencoderEstimator;
import org.eelsunmix.spark.ml.Ica;
import org.eelsunmix.spark.ml.NmfEstimator;
import org.eelsunmix.spark.ml.VcaFcls;
import org.eelsunmix.unmix.Nmf;
import org.eelsunmix.unmix.UnmixingMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code unmix}: fits an unmixing model on acquisitions of a series store and writes, atomically into one output
 * folder: {@code model/} (the saved Spark ML model), {@code abundances/} (Parquet, partitioned by acquisition:
 * x, y, abundances, rmse), {@code endmembers/NN-name.msa} (EMSA spectra with the energy axis) and
 * {@code _config.properties}.
 */
@Command(name = "unmix", mixinStandardHelpOptions = true,
    description = "Find endmembers and abundance maps in acquisitions of a series store.")
final class UnmixCommand extends SparkCommand {
  @Option(names = "--store", required = true, description = "series store (written by generate or import-npy)")
  String store;

  @Option(names = "--acquisition", paramLabel = "ID", description = "acquisition(s) to unmix together (repeatable; "
      + "default: all in the store)")
  List<String> acquisitions = new ArrayList<>();

  @Option(names = "--method", defaultValue = "vca-fcls", description = "unmixing method: vca-fcls (default), nmf, "
      + "ica (FastICA: abundances are the raw independent sources, endmembers the mixing spectra), or the "
      + "autoencoders daeu, mtaeu, cnnaeu (train + apply; mtaeu and cnnaeu train on one acquisition's grid)")
  String method;

  @Option(names = {"-R", "--endmembers"}, defaultValue = "3", description = "number of endmembers R (default 3)")
  int endmembers;

  @Option(names = "--seed", defaultValue = "0", description = "random seed (default 0)")
  long seed;

  @Option(names = "--snr-db", description = "VCA: SNR in dB choosing the projection (default: estimated)")
  Double snrDb;

  @Option(names = "--nmf-solver", defaultValue = "cd", description = "NMF: cd (coordinate descent, default) or mu "
      + "(multiplicative update)")
  String nmfSolver;

  @Option(names = "--nmf-init", defaultValue = "auto", description = "NMF start: auto (default: nndsvda, or random "
      + "when R > channels), nndsvd, nndsvda, nndsvdar or random")
  String nmfInit;

  @Option(names = "--max-iter", defaultValue = "200", description = "NMF: iteration cap (default 200)")
  int maxIter;

  @Option(names = "--tol", defaultValue = "1e-4", description = "NMF: stopping tolerance (default 1e-4; 0 runs "
      + "--max-iter iterations)")
  double tol;

  @Option(names = "--sum-to-one", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "NMF: abundances as fractions of each pixel's fitted counts, summing to one (default); "
      + "--no-sum-to-one writes NMF's raw coefficients")
  boolean sumToOne;

  @Mixin
  AutoencoderTrainingOptions autoencoder;

  @Option(names = "--out", required = true, description = "output folder")
  String out;

  @Option(names = "--overwrite", description = "replace an existing output folder")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    UnmixingMethod m = UnmixingMethod.byName(method, "--method");
    if (endmembers < 1) {
      throw new BadInputException("--endmembers", "must be at least 1, got " + endmembers);
    }
    Nmf.Options nmf = m == UnmixingMethod.NMF
        ? new Nmf.Options(endmembers, nmfInit, nmfSolver, tol, maxIter, seed, sumToOne) : null; // validates
    AutoencoderEstimator net = AutoencoderTrainingOptions.isAutoencoder(m.cliName())
        ? autoencoder.estimator(m.cliName(), endmembers, seed) : null; // validates
    SparkSession spark = spark();
    SeriesStore series = new SeriesStore(spark, store);
    Dataset<Row> pixels = series.pixels(acquisitions);
    int channels = org.eelsunmix.spark.SpectrumColumn.axisOf(pixels.schema(), PixelSchema.SPECTRUM).channels();
    if (endmembers > channels) {
      throw new BadInputException("--endmembers", "asked for " + endmembers + " endmembers but the spectra have only "
          + channels + " channels");
    }
    long t0 = System.nanoTime();
    describe("unmix: fitting " + m.cliName());
    FittedUnmixing model;
    if (net != null) {
      model = FittedUnmixing.of(net.fit(pixels), (System.nanoTime() - t0) / 1e9);
    } else if (nmf != null) {
      model = FittedUnmixing.of(new NmfEstimator().setNumEndmembers(endmembers).setSeed(seed)
          .setSolver(nmf.solver()).setInit(nmf.init()).setTol(nmf.tol()).setMaxIter(nmf.maxIterations())
          .setSumToOne(nmf.sumToOne()).fit(pixels));
    } else if (m == UnmixingMethod.ICA) {
      model = FittedUnmixing.of(new Ica().setNumEndmembers(endmembers).setSeed(seed).fit(pixels));
    } else {
      VcaFcls estimator = new VcaFcls().setNumEndmembers(endmembers).setSeed(seed);
      if (snrDb != null) {
        estimator.setSnrDb(snrDb);
      }
      model = FittedUnmixing.of(estimator.fit(pixels));
    }
    double fitSeconds = (System.nanoTime() - t0) / 1e9;
    AtomicOutput.commit(spark.sparkContext().hadoopConfiguration(), out, overwrite, tmp -> {
      model.writable().write().save(tmp + "/model");
      describe("unmix: abundances (" + m.cliName() + ")");
      ResultFiles.writeAbundances(spark, model.model().transform(pixels), tmp + "/abundances");
      ResultFiles.writeMsa(spark, model.endmembers(), tmp + "/endmembers");
      writeConfig(tmp);
    });
    System.out.printf("%s: %d endmembers, %s, fitted in %.1f s; %s%n", m.cliName(), model.endmembers().count(),
        model.summary(), fitSeconds, ResultFiles.unmixedPixels(spark, out + "/abundances"));
    System.out.println("wrote " + out + " (model/, abundances/, endmembers/*.msa)");
    return 0;
  }
}
