package org.eelsunmix.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.io.Checksums;
import org.eelsunmix.io.NpyAcquisition;
import org.eelsunmix.spark.Acquisition;
import org.eelsunmix.spark.ImageRows;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SeriesStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code import-npy}: NumPy acquisition folders ({@code cube.npy} rows × cols × channels, optional
 * {@code energy.npy}, {@code endmembers_gt.npy}, {@code abundances_gt.npy}; see {@link NpyAcquisition}) into a
 * series store. Every folder is read and validated first (shape, dtype, NaN/Inf, negative counts, energy axis): one
 * bad folder fails the run before anything is written. Pixel rows are then produced by one Spark task per folder.
 */
@Command(name = "import-npy", mixinStandardHelpOptions = true,
    description = "Import NumPy acquisition folders into a series store (Parquet pixel table).")
final class ImportNpyCommand extends SparkCommand {
  @Option(names = "--input", required = true, paramLabel = "DIR", description = "acquisition folder (repeatable)")
  List<Path> inputs;

  @Option(names = "--store", required = true, description = "series store to add the acquisitions to (created "
      + "when missing; an acquisition imported again replaces its old rows)")
  String store;

  @Option(names = "--id", description = "acquisition id (only with one --input; default: the folder name). "
      + "Not empty, at most 80 characters, not starting with . or _, none of / \\ = : * ? \" < > |")
  String id;

  @Option(names = "--energy-offset", description = "energy of channel 0 in eV, when there is no energy.npy")
  Double energyOffset;

  @Option(names = "--energy-scale", description = "eV per channel, when there is no energy.npy")
  Double energyScale;

  @Override
  public Integer call() throws Exception {
    if (id != null && inputs.size() != 1) {
      throw new BadInputException("--id", "can only name a single --input (got " + inputs.size() + ")");
    }
    if ((energyOffset == null) != (energyScale == null)) {
      throw new BadInputException(energyOffset == null ? "--energy-offset" : "--energy-scale",
          "give both --energy-offset and --energy-scale, or neither");
    }
    // Every id is checked before any folder is read: an unusable one would be written as a partition no
    // command can read back.
    List<String> ids = new ArrayList<>();
    for (Path folder : inputs) {
      Path name = folder.toAbsolutePath().normalize().getFileName();
      ids.add(id != null ? PixelSchema.requireUsableId(id, "--id")
          : PixelSchema.requireUsableId(name == null ? "" : name.toString(), folder.toString(),
              "give the acquisition a usable id with --id"));
    }
    List<Acquisition> acquisitions = new ArrayList<>();
    List<Row> truthE = new ArrayList<>();
    List<String[]> tasks = new ArrayList<>();
    boolean anyTruthA = false;
    for (int i = 0; i < inputs.size(); i++) {
      Path folder = inputs.get(i);
      String acqId = ids.get(i);
      NpyAcquisition a = NpyAcquisition.read(folder, acqId, fallbackAxis(folder));
      var image = a.image();
      acquisitions.add(new Acquisition(acqId, folder.toAbsolutePath().toString(),
          Checksums.sha256(folder.resolve(NpyAcquisition.CUBE)), image.width(), image.height(), image.axis(), null,
          "npy"));
      if (a.groundTruthEndmembers() != null) {
        truthE.addAll(ImageRows.truthEndmembers(acqId, a.groundTruthEndmembers()));
      }
      anyTruthA |= a.groundTruthAbundances() != null;
      tasks.add(new String[] {folder.toAbsolutePath().toString(), acqId});
      if (acquisitions.stream().filter(q -> q.id().equals(acqId)).count() > 1) {
        throw new BadInputException("--input", "two folders give the acquisition id '" + acqId + "'");
      }
    }
    SparkSession spark = spark();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Double offset = energyOffset;
    Double scale = energyScale;
    JavaRDD<String[]> work = jsc.parallelize(tasks, tasks.size());
    JavaRDD<Row> pixels = work.flatMap(t -> ImageRows.pixels(readTask(t, offset, scale).image()));
    // The truth maps were validated with the rest above; the task reads just that file, not the cube again.
    JavaRDD<Row> truthA = work.flatMap(t -> {
      Path file = Path.of(t[0], NpyAcquisition.ABUNDANCES_GT);
      if (!Files.exists(file)) {
        return java.util.Collections.<Row>emptyIterator();
      }
      org.eelsunmix.io.NpyArray a = org.eelsunmix.io.NpyReader.read(file);
      return ImageRows.abundances(t[1], new org.eelsunmix.core.Abundances(a.dimension(0), a.dimension(1),
          a.dimension(2), a.doubles()));
    });
    describe("import-npy: " + tasks.size() + " acquisition(s)");
    Dataset<Row> acq = spark.createDataFrame(acquisitions.stream().map(Acquisition::toRow).toList(),
        PixelSchema.ACQUISITIONS);
    new SeriesStore(spark, store).write(spark.createDataFrame(pixels, PixelSchema.PIXELS), acq,
        truthE.isEmpty() ? null : spark.createDataFrame(truthE, PixelSchema.TRUTH_ENDMEMBERS),
        anyTruthA ? spark.createDataFrame(truthA, PixelSchema.ABUNDANCES) : null);
    for (Acquisition a : acquisitions) {
      System.out.printf("imported %s: %d x %d pixels, %s%n", a.id(), a.height(), a.width(), a.axis());
    }
    return 0;
  }

  private EnergyAxis fallbackAxis(Path folder) {
    if (energyOffset == null) {
      return null;
    }
    // The channel count comes from cube.npy; NpyAcquisition checks it against this axis.
    int channels = channelsOf(folder);
    return EnergyAxis.ofEv(energyOffset, energyScale, channels);
  }

  /** Channels of cube.npy from its header (1 when it is unreadable: the full read then names the problem). */
  private static int channelsOf(Path folder) {
    try {
      org.eelsunmix.io.NpyHeader h = org.eelsunmix.io.NpyHeader.read(folder.resolve(NpyAcquisition.CUBE));
      return h.dimensions() == 3 ? (int) Math.max(1, Math.min(Integer.MAX_VALUE, h.dimension(2))) : 1;
    } catch (java.io.IOException | RuntimeException e) {
      return 1;
    }
  }

  private static NpyAcquisition readTask(String[] task, Double offset, Double scale) throws java.io.IOException {
    Path folder = Path.of(task[0]);
    EnergyAxis fallback = offset == null ? null : EnergyAxis.ofEv(offset, scale, channelsOf(folder));
    if (!Files.isDirectory(folder)) {
      throw new BadInputException(task[0], "is not a folder");
    }
    return NpyAcquisition.read(folder, task[1], fallback);
  }
}
