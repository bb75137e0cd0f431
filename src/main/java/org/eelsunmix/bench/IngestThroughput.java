package org.eelsunmix.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.io.AcquisitionFiles;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import org.eelsunmix.io.DmWriter;
import org.eelsunmix.io.HspyReader;
import org.eelsunmix.io.NpyWriter;
import org.eelsunmix.io.RippleWriter;
import org.eelsunmix.io.SpectrumSource;

/**
 * Read throughput of the format readers on one core: a {@code size × size × channels} float32 spectrum image is
 * written once per format (NumPy {@code .npy}, Ripple {@code .rpl/.raw} record-by vector, DM4 band-sequential as
 * DigitalMicrograph stores it), then read back through {@link SpectrumSource#readPixels} in tiles of whole rows,
 * as the data source's tasks do. For HyperSpy the cube is written as a bare HDF5 array {@code /data} with
 * HyperSpy's storage (chunks of about 1 MiB, shuffle + deflate) and read through the same chunk-by-chunk path
 * ({@link HspyReader#openArray}): jHDF 0.13's writer produces an unreadable group when a dataset sits beside other
 * groups, which is HyperSpy's layout, so the axis groups are left out. A plain timing loop after one warm-up pass;
 * the files are fresh, so the operating system's page cache usually holds them (this measures decoding and
 * transposing, not the disk).
 */
public final class IngestThroughput {
  private IngestThroughput() {}

  /** One measured format. */
  public record Result(String format, Path file, double megabytesPerSecond) {}

  /** The energy axis of the benchmark cube. */
  static EnergyAxis axis(int channels) {
    return new EnergyAxis(300, 0.5, "eV", channels);
  }

  /** Writes the test cube in each format under {@code dir}; returns the files (npy, rpl, dm4, h5). */
  public static List<Path> writeFiles(Path dir, int size, int channels, long seed) throws IOException {
    Files.createDirectories(dir);
    float[] v = new float[size * size * channels];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextInt(5000); // counts
    }
    SpectrumImage image = new SpectrumImage("bench", size, size, axis(channels), v);
    Path npy = dir.resolve("bench.npy");
    NpyWriter.write(npy, new int[] {size, size, channels}, v);
    Path rpl = dir.resolve("bench.rpl");
    RippleWriter.write(rpl, image, "float32");
    Path dm4 = dir.resolve("bench.dm4");
    DmWriter.write(dm4, image);
    Path h5 = dir.resolve("bench.h5");
    float[][][] cube = new float[size][size][];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int p = (y * size + x) * channels;
        cube[y][x] = Arrays.copyOfRange(v, p, p + channels);
      }
    }
    int rows = Math.max(1, Math.min(size, (1 << 18) / channels / Math.min(size, 32))); // ~1 MiB chunks
    try (WritableHdfFile hdf = HdfFile.write(h5)) {
      hdf.putDataset("data", cube, DatasetCreationOptions.builder()
          .chunkDimensions(rows, Math.min(size, 32), channels).shuffle().deflate().build());
    }
    return List.of(npy, rpl, dm4, h5);
  }

  /**
   * MB/s (10<sup>6</sup> bytes of float32 spectra delivered per second) reading {@code file} whole in tiles of
   * {@code tileRows} rows on this thread: the median of {@code runs} passes after one warm-up pass.
   */
  public static double megabytesPerSecond(Path file, int channels, int tileRows, int runs) throws IOException {
    double[] rates = new double[Math.max(1, runs)];
    pass(file, channels, tileRows); // warm-up: JIT and page cache
    for (int r = 0; r < rates.length; r++) {
      long t0 = System.nanoTime();
      long bytes = pass(file, channels, tileRows);
      rates[r] = bytes / ((System.nanoTime() - t0) * 1e-9) / 1e6;
    }
    Arrays.sort(rates);
    return rates[rates.length / 2];
  }

  private static long pass(Path file, int channels, int tileRows) throws IOException {
    try (SpectrumSource s = open(file, channels)) {
      int w = s.header().width();
      int c = s.header().axis().channels();
      long pixels = s.header().pixels();
      long step = (long) tileRows * w;
      float[] tile = new float[(int) (step * c)];
      double check = 0;
      for (long p0 = 0; p0 < pixels; p0 += step) {
        long p1 = Math.min(pixels, p0 + step);
        s.readPixels(p0, p1, tile, 0);
        check += tile[0];
      }
      if (Double.isNaN(check)) {
        throw new IllegalStateException("NaN read from " + file);
      }
      return 4 * pixels * c;
    }
  }

  /** A benchmark file: the bare HDF5 array through the HyperSpy chunk path, the others as {@code ingest} opens them. */
  private static SpectrumSource open(Path file, int channels) throws IOException {
    if (file.getFileName().toString().endsWith(".h5")) {
      return HspyReader.openArray(file, "/data", axis(channels));
    }
    return AcquisitionFiles.open(file);
  }

  /** Writes the files and measures each format; see {@link #megabytesPerSecond}. */
  public static List<Result> run(Path dir, int size, int channels, int tileRows, int runs) throws IOException {
    List<Result> out = new ArrayList<>();
    for (Path f : writeFiles(dir, size, channels, 1)) {
      String format = f.toString().endsWith(".h5") ? "hdf5" : AcquisitionFiles.formatOf(f);
      out.add(new Result(format, f, megabytesPerSecond(f, channels, tileRows, runs)));
    }
    return out;
  }
}
