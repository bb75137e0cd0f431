package org.eelsunmix.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.io.NpyAcquisition;
import org.eelsunmix.spark.Acquisition;
import org.eelsunmix.spark.ImageRows;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code generate}: a series of synthetic spectrum images (chequerboard or layered maps, k×k mixing filter, linear
 * mixing with optional spectral variability and vacuum, Poisson noise; {@link SyntheticGenerator}) with their
 * ground truth, either into a series store (Parquet; one
 * replicate per Spark task, nothing collected) or as NumPy folders that {@code import-npy} reads.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generate synthetic EELS spectrum images with known endmembers and abundances.")
final class GenerateCommand extends SparkCommand {
  @Option(names = "--set", defaultValue = "co-ru-pt", description = "built-in endmember set: co-ru-pt (default) or "
      + "k-edges")
  String set;

  @Mixin
  SyntheticOptions synthetic;

  @Option(names = "--replicates", defaultValue = "1", description = "number of images (default 1)")
  int replicates;

  @Option(names = "--format", defaultValue = "parquet", description = "parquet (a series store, default) or npy "
      + "(one import-npy folder per image)")
  String format;

  @Option(names = "--out", required = true, description = "series store (parquet) or parent folder (npy)")
  String out;

  @Override
  public Integer call() throws Exception {
    if (replicates < 1) {
      throw new BadInputException("--replicates", "must be at least 1, got " + replicates);
    }
    SyntheticGenerator.Options options = synthetic.forSet(set);
    // Replicate ids share the set's name and grow with the replicate number: the last one is the longest.
    PixelSchema.requireUsableId(SyntheticGenerator.acquisitionId(options.set(), replicates - 1),
        synthetic.endmembersDir != null ? "--endmembers-dir" : "--set", "replicate ids are made from its name");
    if (format.equals("npy")) {
      for (int r = 0; r < replicates; r++) {
        SyntheticCube c = SyntheticGenerator.generate(options, r);
        NpyAcquisition.write(Path.of(out, c.image().id()), c.image(), c.truthEndmembers(), c.truthAbundances());
      }
      System.out.println("wrote " + replicates + " npy folder(s) under " + out);
      return 0;
    }
    if (!format.equals("parquet")) {
      throw new BadInputException("--format", "must be parquet or npy, got '" + format + "'");
    }
    SparkSession spark = spark();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Integer> indices = IntStream.range(0, replicates).boxed().toList();
    JavaRDD<Integer> tasks = jsc.parallelize(indices, replicates);
    JavaRDD<Row> pixels = tasks.flatMap(r -> ImageRows.pixels(SyntheticGenerator.generate(options, r).image()));
    // The truth tables need only the maps and the scaled endmembers, not the noisy cube.
    JavaRDD<Row> truthA = tasks.flatMap(r -> ImageRows.abundances(SyntheticGenerator.acquisitionId(options.set(), r),
        SyntheticGenerator.truth(options, r).abundances()));
    JavaRDD<Row> truthE = tasks.flatMap((Integer r) -> ImageRows.truthEndmembers(
        SyntheticGenerator.acquisitionId(options.set(), r), SyntheticGenerator.truth(options, r).endmembers())
        .iterator());
    List<Row> acquisitions = new ArrayList<>();
    String source = "synthetic:" + options.set() + " " + options.describe();
    for (int r = 0; r < replicates; r++) {
      acquisitions.add(new Acquisition(SyntheticGenerator.acquisitionId(options.set(), r), source, null,
          options.size(), options.size(), options.endmembers().axis(), null, "synthetic").toRow());
    }
    describe("generate: " + replicates + " x " + options.set());
    Dataset<Row> acq = spark.createDataFrame(acquisitions, PixelSchema.ACQUISITIONS);
    new SeriesStore(spark, out).write(spark.createDataFrame(pixels, PixelSchema.PIXELS), acq,
        spark.createDataFrame(truthE, PixelSchema.TRUTH_ENDMEMBERS),
        spark.createDataFrame(truthA, PixelSchema.ABUNDANCES));
    System.out.printf("wrote %d synthetic %s image(s) of %d x %d pixels x %d channels (%s) to %s%n", replicates,
        options.set(), options.size(), options.size(), options.endmembers().channels(), options.describe(), out);
    return 0;
  }
}
