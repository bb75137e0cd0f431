package org.eelsunmix.spark;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopCodecs;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;

/**
 * One Parquet file of an abundances table ({@code x}, {@code y}, {@code abundances} as a list of doubles, the
 * nullable {@code rmse}: {@link PixelSchema#ABUNDANCES} less its partition column), written column by column with
 * the pages built here and the file's layout, footer, statistics and page indexes written by parquet-hadoop's
 * {@link ParquetFileWriter}.
 *
 * <p>Why not Spark's writer: in the abundances pass of a 2048² VCA-FCLS command, Spark's Parquet writer took about
 * 40 % of the executors' Java samples (JFR): a row copied into an {@code UnsafeRow}, the partition values looked up
 * per row, then per value a call through {@code ParquetWriteSupport}, {@code MessageColumnIO} and a column writer
 * whose repetition and definition levels go one at a time through the RLE encoder. Here a row's values are copied
 * into the row group's column arrays; at the end of a row group each column is written as pages of
 * {@value #PAGE_ROWS} rows: PLAIN values (no dictionary: abundances and RMSEs almost never repeat, and Spark's writer
 * was told not to build one for them either) and, for the list and the nullable RMSE, the levels as the format's
 * RLE / bit-packing hybrid of width 1 (Parquet format, "Nested encoding" and "Run Length Encoding / Bit-Packing
 * Hybrid"; Melnik et al., "Dremel", VLDB 2010): one repeated run where every level is the same (every list
 * non-empty, no RMSE null), else bit-packed runs of at most 63 groups of eight, as parquet-mr writes them. Page
 * checksums as parquet-mr's default.
 *
 * <p>The Parquet schema is Spark's for the same columns ({@code SparkToParquetSchemaConverter}: standard three-level
 * lists, the format's LIST convention other Parquet readers follow), and the footer carries the Spark schema under
 * Spark's key, so Spark reads the file as one it wrote ({@code AbundanceTableTest} compares every row with Spark's
 * writer's and decodes the levels with parquet-mr's own decoder). Not thread-safe.
 */
public final class AbundanceFile implements Closeable {
  /** Rows per data page: 32 768 rows are 128 kB of x, 768 kB of three abundances a pixel. */
  static final int PAGE_ROWS = 32_768;

  private final ParquetFileWriter file;
  private final CompressionCodecFactory codecs;
  private final CompressionCodecFactory.BytesInputCompressor compressor;
  private final CompressionCodecName codec;
  private final ColumnDescriptor xColumn;
  private final ColumnDescriptor yColumn;
  private final ColumnDescriptor valuesColumn;
  private final ColumnDescriptor rmseColumn;
  private final Map<String, String> footer;
  private final int groupRows;
  private final int pageRows;

  // The row group being filled.
  private int rows;
  private int[] xs;
  private int[] ys;
  private int[] lengths; // values per row's list
  private double[] values;
  private int valueCount;
  private double[] rmse;
  private boolean[] rmsePresent;

  private ByteBuffer page = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
  private byte[] levels = new byte[1 << 16];
  private boolean closed;

  /**
   * Creates {@code path} (it must not exist) for rows of the Parquet schema {@code schema} (Spark's conversion of
   * {@code x, y, abundances, rmse}), compressed with {@code codec}, {@code groupRows} rows a row group;
   * {@code footer} is the footer's key-value metadata (Spark's schema under its key).
   */
  public AbundanceFile(Configuration conf, Path path, MessageType schema, CompressionCodecName codec,
      int groupRows, Map<String, String> footer) throws IOException {
    this(conf, path, schema, codec, groupRows, PAGE_ROWS, footer);
  }

  AbundanceFile(Configuration conf, Path path, MessageType schema, CompressionCodecName codec, int groupRows,
      int pageRows, Map<String, String> footer) throws IOException {
    if (groupRows < 1 || pageRows < 1) {
      throw new IllegalArgumentException("rows per row group and page must be >= 1");
    }
    this.xColumn = column(schema, PixelSchema.X, 0, 0);
    this.yColumn = column(schema, PixelSchema.Y, 0, 0);
    this.valuesColumn = column(schema, PixelSchema.ABUNDANCES_COL, 1, 1);
    this.rmseColumn = column(schema, PixelSchema.RMSE, 0, 1);
    if (schema.getColumns().size() != 4) {
      throw new IllegalArgumentException("an abundances file holds x, y, abundances and rmse, not " + schema);
    }
    this.codec = codec;
    this.groupRows = groupRows;
    this.pageRows = pageRows;
    this.footer = Map.copyOf(footer);
    this.codecs = HadoopCodecs.newFactory(conf, 0);
    this.compressor = codecs.getCompressor(codec);
    int capacity = Math.min(groupRows, 4096);
    xs = new int[capacity];
    ys = new int[capacity];
    lengths = new int[capacity];
    rmse = new double[capacity];
    rmsePresent = new boolean[capacity];
    values = new double[capacity * 4];
    try {
      file = new ParquetFileWriter(HadoopOutputFile.fromPath(path, conf), schema, ParquetFileWriter.Mode.CREATE,
          ParquetProperties.DEFAULT_PAGE_SIZE, 0, ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH,
          ParquetProperties.DEFAULT_STATISTICS_TRUNCATE_LENGTH, ParquetProperties.DEFAULT_PAGE_WRITE_CHECKSUM_ENABLED);
      file.start();
    } catch (IOException | RuntimeException e) {
      codecs.release();
      throw e;
    }
  }

  private static ColumnDescriptor column(MessageType schema, String name, int rep, int def) {
    for (ColumnDescriptor c : schema.getColumns()) {
      if (c.getPath()[0].equals(name)) {
        if (c.getMaxRepetitionLevel() != rep || c.getMaxDefinitionLevel() != def) {
          throw new IllegalArgumentException("column " + name + " has levels " + c.getMaxRepetitionLevel() + "/"
              + c.getMaxDefinitionLevel() + ", not " + rep + "/" + def + ": " + schema);
        }
        return c;
      }
    }
    throw new IllegalArgumentException("no column " + name + " in " + schema);
  }

  /**
   * Adds one pixel's row: its address, its {@code count} abundances from {@code from[offset]} on, and its RMSE
   * ({@code hasRmse} false: null).
   */
  public void add(int x, int y, double[] from, int offset, int count, boolean hasRmse, double rmseValue)
      throws IOException {
    if (rows == xs.length) {
      int n = (int) Math.min(groupRows, 2L * rows);
      xs = Arrays.copyOf(xs, n);
      ys = Arrays.copyOf(ys, n);
      lengths = Arrays.copyOf(lengths, n);
      rmse = Arrays.copyOf(rmse, n);
      rmsePresent = Arrays.copyOf(rmsePresent, n);
    }
    if (valueCount + count > values.length) {
      values = Arrays.copyOf(values, Math.max(valueCount + count, 2 * values.length));
    }
    xs[rows] = x;
    ys[rows] = y;
    lengths[rows] = count;
    System.arraycopy(from, offset, values, valueCount, count);
    valueCount += count;
    rmse[rows] = rmseValue;
    rmsePresent[rows] = hasRmse;
    rows++;
    if (rows == groupRows) {
      writeRowGroup();
    }
  }

  /** Writes the last row group and the footer. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (rows > 0) {
        writeRowGroup();
      }
      file.end(footer);
    } finally {
      codecs.release();
    }
  }

  private void writeRowGroup() throws IOException {
    file.startBlock(rows);
    writeInts(xColumn, xs);
    writeInts(yColumn, ys);
    writeValues();
    writeRmse();
    file.endBlock();
    rows = 0;
    valueCount = 0;
  }

  private void writeInts(ColumnDescriptor c, int[] column) throws IOException {
    file.startColumn(c, rows, codec);
    for (int from = 0; from < rows; from += pageRows) {
      int to = Math.min(rows, from + pageRows);
      Statistics<?> stats = Statistics.createStats(c.getPrimitiveType());
      ByteBuffer b = page(4 * (to - from));
      for (int r = from; r < to; r++) {
        b.putInt(column[r]);
        stats.updateStats(column[r]);
      }
      writePage(b, to - from, to - from, stats, Encoding.BIT_PACKED, Encoding.BIT_PACKED);
    }
    file.endColumn();
  }

  /** The list column: per row its values (repetition 0 then 1, definition 1), or one empty entry (0, 0). */
  private void writeValues() throws IOException {
    int entries = 0;
    for (int r = 0; r < rows; r++) {
      entries += Math.max(1, lengths[r]);
    }
    file.startColumn(valuesColumn, entries, codec);
    int v = 0;
    for (int from = 0; from < rows; from += pageRows) {
      int to = Math.min(rows, from + pageRows);
      int n = 0;
      int present = 0;
      for (int r = from; r < to; r++) {
        n += Math.max(1, lengths[r]);
        present += lengths[r];
      }
      Statistics<?> stats = Statistics.createStats(valuesColumn.getPrimitiveType());
      ByteBuffer b = page(2 * (8 + 6 * (n / 504 + 1) + n / 8) + 8 * present);
      // repetition levels
      byte[] level = levels(n);
      for (int r = from, e = 0; r < to; r++) {
        int k = Math.max(1, lengths[r]);
        level[e] = 0;
        Arrays.fill(level, e + 1, e + k, (byte) 1);
        e += k;
      }
      hybrid(level, n, b);
      // definition levels
      for (int r = from, e = 0; r < to; r++) {
        int k = Math.max(1, lengths[r]);
        Arrays.fill(level, e, e + k, (byte) (lengths[r] == 0 ? 0 : 1));
        e += k;
      }
      hybrid(level, n, b);
      for (int i = 0; i < present; i++) {
        double d = values[v++];
        b.putDouble(d);
        stats.updateStats(d);
      }
      stats.incrementNumNulls(n - present); // Spark counts an empty list's entry as a null
      writePage(b, n, to - from, stats, Encoding.RLE, Encoding.RLE);
    }
    file.endColumn();
  }

  private void writeRmse() throws IOException {
    file.startColumn(rmseColumn, rows, codec);
    for (int from = 0; from < rows; from += pageRows) {
      int to = Math.min(rows, from + pageRows);
      int n = to - from;
      Statistics<?> stats = Statistics.createStats(rmseColumn.getPrimitiveType());
      ByteBuffer b = page(8 + 6 * (n / 504 + 1) + n / 8 + 8 * n);
      byte[] level = levels(n);
      for (int r = from; r < to; r++) {
        level[r - from] = (byte) (rmsePresent[r] ? 1 : 0);
      }
      hybrid(level, n, b);
      for (int r = from; r < to; r++) {
        if (rmsePresent[r]) {
          b.putDouble(rmse[r]);
          stats.updateStats(rmse[r]);
        } else {
          stats.incrementNumNulls();
        }
      }
      writePage(b, n, n, stats, Encoding.BIT_PACKED, Encoding.RLE);
    }
    file.endColumn();
  }

  private void writePage(ByteBuffer b, int entries, int pageRowCount, Statistics<?> stats, Encoding repetition,
      Encoding definition) throws IOException {
    BytesInput raw = BytesInput.from(b.array(), 0, b.position());
    file.writeDataPage(entries, b.position(), compressor.compress(raw), stats, pageRowCount, repetition, definition,
        Encoding.PLAIN);
  }

  /** The page buffer, cleared, with room for {@code bytes}. */
  private ByteBuffer page(int bytes) {
    if (page.capacity() < bytes) {
      page = ByteBuffer.allocate(Math.max(bytes, 2 * page.capacity())).order(ByteOrder.LITTLE_ENDIAN);
    }
    page.clear();
    return page;
  }

  private byte[] levels(int n) {
    if (levels.length < n) {
      levels = new byte[Math.max(n, 2 * levels.length)];
    }
    return levels;
  }

  /**
   * Levels {@code level[0, n)} (0 or 1) in the RLE / bit-packing hybrid of bit width 1, after their 4-byte
   * little-endian length (a V1 data page's level section): one repeated run when all are equal, else bit-packed
   * runs of at most 63 groups of eight values, the last group padded with zeros.
   */
  static void hybrid(byte[] level, int n, ByteBuffer out) {
    int lengthAt = out.position();
    out.putInt(0);
    boolean same = true;
    for (int i = 1; i < n && same; i++) {
      same = level[i] == level[0];
    }
    if (same) {
      varint(out, n << 1);
      out.put(level[0]);
    } else {
      for (int i = 0; i < n; ) {
        int groups = Math.min(63, (n - i + 7) >>> 3);
        varint(out, groups << 1 | 1);
        for (int g = 0; g < groups; g++, i += 8) {
          int bits = 0;
          for (int k = 0, e = Math.min(8, n - i); k < e; k++) {
            bits |= level[i + k] << k;
          }
          out.put((byte) bits);
        }
      }
    }
    out.putInt(lengthAt, out.position() - lengthAt - 4);
  }

  private static void varint(ByteBuffer out, int v) {
    while ((v & ~0x7f) != 0) {
      out.put((byte) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.put((byte) v);
  }
}
