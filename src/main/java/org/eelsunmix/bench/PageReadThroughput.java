package org.eelsunmix.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.pages.SpectrumPages;

/**
 * The CPU cost of reading every spectrum of a store with {@link SpectrumPages} (the store's Parquet pages decoded
 * into blocks of 256 pixels, as the columnar transform's blocks), in nanoseconds of this thread's CPU per value: the
 * figure to set beside {@code FclsThroughput read STORE RUNS} (Spark's vectorised scan, tasks' CPU per value).
 * One thread, one file after another; the first run is untimed (JIT warm-up), then one line per run.
 */
public final class PageReadThroughput {
  private PageReadThroughput() {}

  /** The store's pixel files (its {@code pixels} table, every acquisition). */
  public static List<Path> pixelFiles(Configuration conf, String store) throws IOException {
    Path table = new Path(store, SeriesStore.PIXELS);
    List<Path> files = new ArrayList<>();
    RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = table.getFileSystem(conf).listFiles(table, true);
    while (it.hasNext()) {
      FileStatus f = it.next();
      String name = f.getPath().getName();
      if (name.endsWith(".parquet") && !name.startsWith("_") && !name.startsWith(".")) {
        files.add(f.getPath());
      }
    }
    files.sort(null);
    return files;
  }

  /** B of a pixel file: its first row group's spectrum values per row (the store's lists hold no nulls). */
  static int channels(Configuration conf, Path file) throws IOException {
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      BlockMetaData group = r.getRowGroups().get(0);
      for (ColumnChunkMetaData c : group.getColumns()) {
        if (c.getPath().toArray()[0].equals(PixelSchema.SPECTRUM)) {
          return (int) (c.getValueCount() / group.getRowCount());
        }
      }
    }
    throw new IOException(file + ": no " + PixelSchema.SPECTRUM + " column");
  }

  /** Reads every spectrum of {@code files} once; returns {values, checksum bits} so the JIT keeps the work. */
  static long[] readAll(Configuration conf, List<Path> files, int channels) throws IOException {
    float[] block = new float[256 * channels];
    long values = 0;
    double sum = 0;
    for (Path file : files) {
      try (SpectrumPages pages = SpectrumPages.open(conf, file, PixelSchema.SPECTRUM, channels)) {
        int n;
        while ((n = pages.read(block)) > 0) {
          values += (long) n * channels;
          sum += block[0] + block[n * channels - 1];
        }
      }
    }
    return new long[] {values, Double.doubleToLongBits(sum)};
  }

  /**
   * Only what parquet-hadoop does before decoding: every page of the spectrum column read and decompressed (the
   * bytes touched once, nothing decoded); returns {values, checksum bits}. The part of {@link #readAll} that is not
   * ours.
   */
  static long[] decompressAll(Configuration conf, List<Path> files) throws IOException {
    long values = 0;
    long sum = 0;
    for (Path file : files) {
      try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
        org.apache.parquet.schema.MessageType schema = r.getFooter().getFileMetaData().getSchema();
        org.apache.parquet.column.ColumnDescriptor leaf = schema.getColumns().stream()
            .filter(c -> c.getPath()[0].equals(PixelSchema.SPECTRUM)).findFirst().orElseThrow();
        r.setRequestedSchema(new org.apache.parquet.schema.MessageType(schema.getName(),
            schema.getType(PixelSchema.SPECTRUM)));
        org.apache.parquet.column.page.PageReadStore group;
        while ((group = r.readNextRowGroup()) != null) {
          org.apache.parquet.column.page.PageReader pages = group.getPageReader(leaf);
          org.apache.parquet.column.page.DictionaryPage d = pages.readDictionaryPage();
          sum += d == null ? 0 : d.getBytes().toByteArray().length;
          org.apache.parquet.column.page.DataPage page;
          while ((page = pages.readPage()) != null) {
            byte[] bytes = ((org.apache.parquet.column.page.DataPageV1) page).getBytes().toByteArray();
            sum += bytes[bytes.length - 1];
            values += page.getValueCount();
          }
        }
      }
    }
    return new long[] {values, sum};
  }

  /**
   * {@code STORE RUNS [decompress]}: one line per run, ns of thread CPU per value and M pixels per CPU second; with
   * {@code decompress}, of {@link #decompressAll} alone (V1 pages, as the store's).
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: PageReadThroughput STORE RUNS");
      System.exit(2);
    }
    Configuration conf = new Configuration();
    List<Path> files = pixelFiles(conf, args[0]);
    int channels = channels(conf, files.get(0));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int runs = Integer.parseInt(args[1]);
    for (int i = 0; i <= runs; i++) {
      long c0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      boolean decompressOnly = args.length > 2 && args[2].equals("decompress");
      long[] read = decompressOnly ? decompressAll(conf, files) : readAll(conf, files, channels);
      double cpu = (threads.getCurrentThreadCpuTime() - c0) * 1e-9;
      double wall = (System.nanoTime() - t0) * 1e-9;
      if (i > 0) {
        System.out.printf((decompressOnly ? "decompress" : "pages") + " %s: thread CPU %.3f s (wall %.3f s), %.2f ns per value, %.2f M pixels per CPU s "
            + "(%d values, %d files, B = %d)%n", args[0], cpu, wall, cpu * 1e9 / read[0],
            read[0] / channels / cpu / 1e6, read[0], files.size(), channels);
      }
    }
  }
}
