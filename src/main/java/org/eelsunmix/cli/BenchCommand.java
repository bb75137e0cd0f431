package org.eelsunmix.cli;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.autoencoder.Daeu;
import org.eelsunmix.autoencoder.DaeuOptions;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eelsunmix.autoencoder.Cnnaeu;
import org.eelsunmix.autoencoder.CnnaeuOptions;
import org.eelsunmix.autoencoder.Mtaeu;
import org.eelsunmix.autoencoder.MtaeuOptions;
import org.eelsunmix.bench.AutoencoderSpeed;
import org.eelsunmix.bench.DaeuSpeed;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.bench.FclsThroughput;
import org.eelsunmix.bench.MomentsThroughput;
import org.eelsunmix.bench.NmfIterationTiming;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.bench.IcaTiming;
import org.eelsunmix.bench.IngestThroughput;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.spark.ml.UnmixingMethods;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench}: prints the spine's speed figures, single-threaded (per core), after a JIT warm-up: FCLS pixels/s at
 * B = 200, R = 3 and B = 903, R = 4, and VCA-FCLS seconds (median of several runs) for one 64×64 cube of each
 * built-in set: the kernels every distributed path calls. With {@code --spark-size N} it also times the
 * distributed path on an N×N co-ru-pt cube cached in Spark: the VCA fit and the FCLS transform (pixels/s over all
 * executor cores, and per core). With {@code --nmf}, the distributed NMF's seconds per iteration at 4 096 and 409 600
 * pixels ({@link NmfIterationTiming}). With {@code --daeu} it
 * times DAEU instead ({@link DaeuSpeed}); with {@code --mtaeu} or {@code --cnnaeu} MTAEU or CNNAEU
 * ({@link AutoencoderSpeed}). With {@code --all}, every row of issue 15's speed table ({@link BenchAllOptions}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure FCLS throughput and VCA-FCLS time per cube (single core).")
final class BenchCommand extends SparkCommand {
  @Option(names = "--seconds", defaultValue = "3", description = "timed seconds per FCLS figure (default 3)")
  double seconds;

  @Option(names = "--runs", defaultValue = "5", description = "timed VCA-FCLS runs per set (default 5)")
  int runs;

  @Option(names = "--spark-size", defaultValue = "0", description = "also time the Spark path on an N x N cube "
      + "(0 = skip, default)")
  int sparkSize;

  @Option(names = "--nmf", description = "also time the distributed NMF: seconds per iteration at 4 096 and "
      + "409 600 pixels (B = 200, R = 3) and their ratio")
  boolean nmf;

  @Option(names = "--nmf-iterations", defaultValue = "10", description = "NMF iterations timed per size (default 10)")
  int nmfIterations;

  @Option(names = "--ingest", description = "instead: read throughput of the format readers and of "
      + "format(\"eels\") on a SIZE x SIZE x 1024 float32 file of each format (use --master local[1] for per core)")
  boolean ingest;

  @Option(names = "--ingest-size", defaultValue = "256", description = "pixels per side for --ingest (default 256)")
  int ingestSize;

  @Option(names = "--ingest-dir", description = "folder for the --ingest files (default: a temporary folder)")
  java.nio.file.Path ingestDir;

  @Option(names = "--daeu", description = "time DAEU instead (reference training schedule on 64 x 64 co-ru-pt and "
      + "k-edges, updates/s, encoder pixels/s per core)")
  boolean daeu;

  @Option(names = "--averaging", split = ",", paramLabel = "N", description = "time DAEU's parameter averaging "
      + "instead: in memory vs 1 and 2 barrier workers on samples of N spectra (e.g. 2000,20000,100000)")
  int[] averaging;

  @Option(names = "--ica", description = "also time the distributed FastICA fit (R = 3, B = 200) on 64x64 and "
      + "640x640 cubes (4 096 and 409 600 pixels)")
  boolean ica;

  @Option(names = "--mtaeu", description = "time MTAEU instead (seconds per epoch and for the reference schedule on "
      + "64 x 64 co-ru-pt and k-edges, encoder pixels/s per core)")
  boolean mtaeu;

  @Option(names = "--cnnaeu", description = "time CNNAEU instead (seconds per epoch, scaled from --cnnaeu-patches "
      + "patches, and the estimate for the reference schedule; encoder pixels/s per core)")
  boolean cnnaeu;

  @Option(names = "--cnnaeu-patches", defaultValue = "30", description = "40 x 40 patches timed per CNNAEU epoch "
      + "(default 30; the reference has 250)")
  int cnnaeuPatches;

  @Option(names = "--udas", description = "time uDAS instead: seconds for the in-memory fit (paper's settings) of "
      + "one 64 x 64 cube of each built-in set")
  boolean udas;

  @Option(names = "--blu", description = "time BLU instead (100 sweeps on a 64 x 64 cube of each built-in set, in "
      + "memory and on Spark)")
  boolean blu;

  @Option(names = "--scale", description = "instead: the scale benchmark, a series of 64 x 64 co-ru-pt images "
      + "(B = 200, R = 3) per size generated to Parquet, then VCA-FCLS and NMF Parquet -> Parquet; pixels/s per core "
      + "and the driver's peak heap per size")
  boolean scale;

  @Option(names = "--scale-pixels", split = ",", defaultValue = "4096,40960,409600", description = "sizes for "
      + "--scale (comma-separated; the issue's: 4096,40960,409600,4194304,16777216)")
  List<Long> scalePixels;

  @Option(names = "--scale-dir", description = "folder for --scale's tables, any Hadoop URI (default: a temporary "
      + "local folder, deleted)")
  String scaleDir;

  @Option(names = "--scale-nmf-iterations", defaultValue = "10", description = "NMF iterations per size for --scale "
      + "(default 10)")
  int scaleNmfIterations;

  @picocli.CommandLine.Mixin
  BenchAllOptions all = new BenchAllOptions();

  @Option(names = "--scale-master", defaultValue = "local", description = "where --scale runs: local (this "
      + "command's own session, e.g. --master local[2]) or standalone (a master and --scale-workers one-core workers "
      + "started on 127.0.0.1 from the packaged jar, the driver spark-submitted in its own JVM; all stopped and "
      + "deleted after)")
  String scaleMaster;

  @Option(names = "--scale-workers", defaultValue = "2", description = "one-core workers of --scale-master "
      + "standalone (default 2)")
  int scaleWorkers;

  @Option(names = "--scale-executor-memory", defaultValue = "1g", description = "spark.executor.memory (and each "
      + "worker's memory) of --scale-master standalone (default 1g; fits cache MEMORY_AND_DISK, so larger sizes "
      + "spill instead of growing)")
  String scaleExecutorMemory;

  @Override
  public Integer call() throws java.io.IOException {
    org.eelsunmix.bench.BenchAll.Plan plan = all.plan(); // checks the --all options before any work
    if (all.all) {
      return all.run(spark(), plan);
    }
    if (scale) {
      return benchScale();
    }
    if (udas) {
      benchUdas();
      return 0;
    }
    if (blu) {
      for (String set : new String[] {"co-ru-pt", "k-edges"}) {
        org.eelsunmix.bench.BluTiming.Result t = org.eelsunmix.bench.BluTiming.time(spark(), set);
        System.out.printf("BLU 100 sweeps, 64x64 %-9s in memory %.2f s, Spark (%d cores) %.2f s%n", set,
            t.inMemorySeconds(), t.cores(), t.sparkSeconds());
      }
      return 0;
    }
    if (ingest) {
      return benchIngest();
    }
    if (averaging != null) {
      org.eelsunmix.bench.AveragingTiming.print(spark(), averaging);
      return 0;
    }
    if (daeu) {
      benchDaeu();
      return 0;
    }
    if (mtaeu || cnnaeu) {
      benchSpatialAutoencoders();
      return 0;
    }
    System.out.printf("%-28s %s%n", "benchmark (one core)", "result");
    for (int[] s : new int[][] {{200, 3}, {903, 4}}) {
      double rate = FclsThroughput.pixelsPerSecond(s[0], s[1], 20_000, 42L, seconds);
      System.out.printf("%-28s %.2f million pixels/s%n", "FCLS B=" + s[0] + " R=" + s[1], rate / 1e6);
    }
    for (int b : new int[] {200, 903}) {
      System.out.println(MomentsThroughput.row(b));
    }
    for (String set : new String[] {"co-ru-pt", "k-edges"}) {
      SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin(set), 0);
      int r = cube.truthEndmembers().count();
      UnmixingMethods.byName("vca-fcls").unmix(cube.image(), r, 1); // warm-up
      double[] t = new double[Math.max(1, runs)];
      for (int i = 0; i < t.length; i++) {
        long t0 = System.nanoTime();
        UnmixingMethods.byName("vca-fcls").unmix(cube.image(), r, 1);
        t[i] = (System.nanoTime() - t0) / 1e9;
      }
      Arrays.sort(t);
      System.out.printf("%-28s %.3f s (median of %d; min %.3f s)%n", "VCA-FCLS 64x64 " + set + " (B="
          + cube.image().channels() + ")", t[t.length / 2], t.length, t[0]);
    }
    if (sparkSize > 0) {
      benchSpark();
    }
    if (nmf) {
      benchNmf();
    }
    if (ica) {
      for (int side : new int[] {64, 640}) {
        describe("bench: Spark FastICA " + side + "x" + side);
        IcaTiming.Result r = IcaTiming.time(spark(), side, 3, side < 256 ? 3 : 1);
        System.out.printf("%-28s %.2f s per fit (%d pixels, %d iterations%s, %d cores)%n", "Spark ICA " + side + "x"
            + side, r.seconds(), r.pixels(), r.iterations(), r.converged() ? "" : ", not converged", r.cores());
      }
    }
    return 0;
  }

  private void benchNmf() {
    if (nmfIterations < 1) {
      throw new BadInputException("--nmf-iterations", "must be at least 1, got " + nmfIterations);
    }
    SparkSession spark = spark();
    int partitions = spark.sparkContext().defaultParallelism() * 2;
    NmfIterationTiming.Figure[] f = new NmfIterationTiming.Figure[2];
    int[] sides = {64, 640};
    for (int i = 0; i < 2; i++) {
      describe("bench: NMF on a " + sides[i] + "x" + sides[i] + " cube");
      f[i] = NmfIterationTiming.measure(spark, sides[i], partitions, nmfIterations);
      System.out.printf("%-28s %.4f s/iteration (%d pixels, %d partitions; setup %.2f s)%n", "Spark NMF iteration",
          f[i].secondsPerIteration(), f[i].pixels(), f[i].partitions(), f[i].setupSeconds());
    }
    // A job's fixed cost dominates the small cube, so the ratio stays below the pixel ratio; the slope between the
    // two sizes is the cost that grows with the pixels.
    System.out.printf("%-28s %.1f for %.0fx the pixels; %.3f µs per extra pixel-iteration%n",
        "NMF iteration time ratio", f[1].secondsPerIteration() / f[0].secondsPerIteration(),
        (double) f[1].pixels() / f[0].pixels(), (f[1].secondsPerIteration() - f[0].secondsPerIteration())
            / (f[1].pixels() - f[0].pixels()) * 1e6);
  }

  /** Reader MB/s on this thread, then format("eels") MB/s over the session's cores (noop sink). */
  private int benchIngest() throws java.io.IOException {
    java.nio.file.Path dir = ingestDir != null ? ingestDir : java.nio.file.Files.createTempDirectory("eels-bench");
    System.out.printf("%-28s %s%n", "read " + ingestSize + "x" + ingestSize + "x1024 f32", "MB/s");
    for (IngestThroughput.Result r : IngestThroughput.run(dir, ingestSize, 1024, 16, 5)) {
      System.out.printf("%-28s %.0f (one core, tiles of 16 rows)%n", "reader " + r.format(),
          r.megabytesPerSecond());
      if (r.format().equals("hdf5")) {
        continue; // a bare array, not a HyperSpy file: format("eels") reads only the latter
      }
      SparkSession spark = spark();
      int cores = spark.sparkContext().defaultParallelism();
      describe("bench: format(eels) " + r.format());
      double best = 0;
      for (int i = 0; i < 3; i++) {
        long t0 = System.nanoTime();
        spark.read().format("eels").load(r.file().toString()).write().format("noop").mode("overwrite").save();
        best = Math.max(best, 4.0 * ingestSize * ingestSize * 1024 / ((System.nanoTime() - t0) * 1e-9) / 1e6);
      }
      System.out.printf("%-28s %.0f (%d cores, %.0f per core; best of 3, includes the survey job)%n",
          "format(eels) " + r.format(), best, cores, best / cores);
    }
    return 0;
  }

  /** uDAS in memory on one 64×64 cube of each set (mSDA, VCA/FCLS/NMF start, 10 outer iterations). */
  private void benchUdas() {
    System.out.printf("%-28s %s%n", "uDAS (in memory)", "wall seconds");
    for (String set : new String[] {"co-ru-pt", "k-edges"}) {
      SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin(set), 0);
      int r = cube.truthEndmembers().count();
      long t0 = System.nanoTime();
      org.eelsunmix.unmix.Udas.Result u = org.eelsunmix.unmix.Udas.fit(cube.image(),
          new org.eelsunmix.unmix.Udas.Options(r, 1));
      System.out.printf("%-28s %.2f s (fit RMSE %.2f counts)%n", "uDAS 64x64 " + set + " (B="
          + cube.image().channels() + ")", (System.nanoTime() - t0) / 1e9, u.rmse());
    }
  }

  private void benchDaeu() {
    System.out.printf("%-28s %s%n", "DAEU (one thread)", "wall (thread CPU)");
    for (String set : new String[] {"co-ru-pt", "k-edges"}) {
      SyntheticCube cube = DaeuSpeed.cube(set);
      DaeuOptions o = new DaeuOptions(cube.truthEndmembers().count(), 1);
      DaeuSpeed.Training t = DaeuSpeed.training(cube.image(), o);
      System.out.printf("%-28s %.2f s (%.2f s CPU), %.0f updates/s (%.0f per CPU s)%n", "train 64x64 " + set,
          t.wallSeconds(), t.cpuSeconds(), t.stepsPerSecond(), t.stepsPerCpuSecond());
      DaeuSpeed.Inference i = DaeuSpeed.inference(Daeu.network(cube.image().channels(), o), cube.image(),
          seconds);
      System.out.printf("%-28s %.0f pixels/s (%.0f per CPU s)%n", "encode " + set + " (B="
          + cube.image().channels() + ")", i.pixelsPerSecond(), i.pixelsPerCpuSecond());
    }
  }

  private void benchSpatialAutoencoders() {
    // both spread their big products over the same workers (-Deelsunmix.autoencoder.threads, default all cores)
    System.out.printf("%-28s %s%n", (mtaeu ? "MTAEU (" : "CNNAEU (") + Cnnaeu.threads() + " threads)",
        "wall (process CPU)");
    for (String set : new String[] {"co-ru-pt", "k-edges"}) {
      SyntheticCube cube = DaeuSpeed.cube(set);
      SpectrumImage image = cube.image();
      int r = cube.truthEndmembers().count();
      AutoencoderSpeed.Inference i;
      AutoencoderSpeed.Training t;
      if (mtaeu) {
        MtaeuOptions o = new MtaeuOptions(r, 1);
        MultiLayerNetwork net = Mtaeu.network(image.channels(), o);
        i = AutoencoderSpeed.inference(() -> Mtaeu.abundances(net, image), image.pixels(), seconds);
        t = AutoencoderSpeed.mtaeu(image, o, 2);
      } else {
        CnnaeuOptions o = new CnnaeuOptions(r, 1);
        MultiLayerNetwork net = Cnnaeu.network(image.channels(), o);
        i = AutoencoderSpeed.inference(() -> Cnnaeu.abundances(net, image), image.pixels(), seconds);
        t = AutoencoderSpeed.cnnaeu(image, o, cnnaeuPatches);
      }
      System.out.printf(
          "%-28s %.2f s (%.2f s CPU) per epoch, median (slowest %.2f s); %d epochs: %.0f s (%.0f s CPU)%n",
          "train 64x64 " + set, t.wallPerEpoch(), t.cpuPerEpoch(), t.slowest(), t.epochs(), t.wallSchedule(),
          t.cpuSchedule());
      System.out.printf("%-28s %.0f pixels/s (%.0f per CPU s)%n", "encode " + set + " (B=" + image.channels() + ")",
          i.pixelsPerSecond(), i.pixelsPerCpuSecond());
    }
  }

  private void benchSpark() {
    org.eelsunmix.bench.SparkFclsTiming.Figure f = org.eelsunmix.bench.SparkFclsTiming.measure(spark(), sparkSize);
    FclsThroughput.SparkFigure t = f.transform();
    System.out.printf("%-28s %.2f s for %d pixels on %d cores%n", "Spark VCA fit (cached)", f.fitSeconds(),
        f.pixels(), f.cores());
    System.out.printf("%-28s %.2f million pixels/s (%.2f per core; %.2f million per CPU second; best of 5 after 10 untimed)%n",
        "Spark FCLS transform", f.pixels() / t.wallSeconds() / 1e6, t.perCore() / 1e6, t.perCpuSecond() / 1e6);
  }

  /** {@code --scale}: one line per size ({@link org.eelsunmix.bench.ScaleBenchmark}). */
  private int benchScale() throws java.io.IOException {
    if (scaleNmfIterations < 1) {
      throw new org.eelsunmix.core.BadInputException("--scale-nmf-iterations", "must be >= 1");
    }
    for (long n : scalePixels) {
      if (n < 4096) {
        throw new org.eelsunmix.core.BadInputException("--scale-pixels", "sizes must be >= 4096, got " + n);
      }
    }
    if (scaleMaster.equals("standalone")) {
      return benchScaleStandalone();
    }
    if (!scaleMaster.equals("local")) {
      throw new BadInputException("--scale-master", "must be local or standalone, got " + scaleMaster);
    }
    System.out.printf("master %s, %d cores%n", spark().sparkContext().master(),
        spark().sparkContext().defaultParallelism());
    java.nio.file.Path tmp = scaleDir == null ? java.nio.file.Files.createTempDirectory("eels-scale-") : null;
    String root = scaleDir == null ? tmp.toUri().toString() : scaleDir;
    System.out.printf("%10s %5s %10s %10s %13s %9s %13s %9s %14s %14s %14s %14s %14s %14s%n", "pixels", "cores",
        "generate s", "vca-fcls s", "vca px/s/core", "nmf s", "nmf px/s/core", "daeu s", "daeu px/s/core",
        "heap pools pk", "live heap max", "less tasks' max", "kept, tables", "kept after");
    try {
      org.eelsunmix.spark.ml.UnmixingModel<?> daeuModel = org.eelsunmix.bench.ScaleBenchmark.trainDaeu(spark());
      for (long n : scalePixels) {
        org.eelsunmix.bench.ScaleBenchmark.Figures f = org.eelsunmix.bench.ScaleBenchmark.run(spark(), n,
            scaleNmfIterations, daeuModel, root + "/" + n);
        System.out.printf("%10d %5d %10.1f %10.2f %13.0f %9.2f %13.0f %9.2f %14.0f %10.0f MiB %10.0f MiB %10.0f MiB "
            + "%10.1f MiB %10.1f MiB%n", f.pixels(), f.cores(), f.generateSeconds(), f.vcaFclsSeconds(),
            f.perCore(f.vcaFclsSeconds()), f.nmfSeconds(), f.perCore(f.nmfSeconds()), f.daeuApplySeconds(),
            f.perCore(f.daeuApplySeconds()), f.driverPeakHeapBytes() / 1048576.0, f.driverLiveHeapBytes() / 1048576.0,
            f.driverOwnHeapBytes() / 1048576.0, f.driverKeptWithTablesBytes() / 1048576.0,
            f.driverRetainedHeapBytes() / 1048576.0);
      }
      System.out.printf("(NMF: %d iterations per size; DAEU trained once, not timed; times include reading and "
          + "writing Parquet. Heap: pools' peak usage, garbage included; live: largest heap after a full collection, "
          + "forced every %.0f s and after each phase; less tasks': the same less Spark's execution and storage memory in use "
          + "(local mode runs the tasks in the driver JVM); kept: after the size's last job, less the tasks' memory, "
          + "with the size's tables still referenced (Spark's listing of every partition: grows with acquisitions) "
          + "and after they are released)%n",
          scaleNmfIterations, org.eelsunmix.bench.ScaleBenchmark.HEAP_SAMPLE_SECONDS);
    } finally {
      if (tmp != null) {
        try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.walk(tmp)) {
          s.sorted(java.util.Comparator.reverseOrder()).map(java.nio.file.Path::toFile)
              .forEach(java.io.File::delete);
        }
      }
    }
    return 0;
  }

  /** {@code --scale --scale-master standalone}: the same command, spark-submitted to a fresh local cluster. */
  private int benchScaleStandalone() throws java.io.IOException {
    java.nio.file.Path jar;
    try {
      jar = java.nio.file.Path.of(SubmitMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    List<String> args = new java.util.ArrayList<>(List.of("bench", "--scale", "--scale-nmf-iterations",
        String.valueOf(scaleNmfIterations), "--scale-pixels",
        String.join(",", scalePixels.stream().map(String::valueOf).toList())));
    try {
      return org.eelsunmix.bench.StandaloneScale.run(jar, args, scaleDir, scaleWorkers, scaleExecutorMemory,
          List.of(), System.out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
