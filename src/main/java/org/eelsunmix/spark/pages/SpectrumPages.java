package org.eelsunmix.spark.pages;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.VersionParser;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReaderImpl;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Reads one Parquet file's spectrum column ({@code list<float>}, every list of B values, no nulls: the store's
 * {@code spectrum}) into pixel-major {@code float[]} blocks, in the file's row order, without Spark's reader.
 *
 * <p>The file (or a split of it: the row groups whose midpoint lies in a byte range, Spark's rule) is opened with
 * parquet-hadoop's {@link ParquetFileReader} (any Hadoop file system), only the columns read requested, row group
 * by row group; the pages are decompressed by parquet's codec factory, as Spark's reader has
 * them. What Spark's general nested reader does per value this one does per run, because our spectra make the
 * Dremel levels trivial (Melnik et al., "Dremel", VLDB 2010; the Parquet format's "Nested encoding"): the
 * repetition level is 0 at every B-th value and 1 elsewhere, the definition level is always its maximum. So the
 * levels are only <em>checked</em>, a repeated run at a time ({@link HybridRuns}); the values are the page's
 * dictionary ids, unpacked 32 or 8 at a time and mapped through the row group's float dictionary straight into the
 * caller's block, or plain little-endian floats copied in bulk. Optionally each pixel's address is read beside it
 * from two required INT32 columns ({@code x}, {@code y}: two values a pixel, through parquet-column's own
 * {@link ColumnReaderImpl}).
 *
 * <p>It relies on, and checks: the column's leaf is FLOAT with one repeated ancestor (a list) and is the only leaf
 * of its top-level field; data pages V1 or V2 with RLE levels; values PLAIN, PLAIN_DICTIONARY or RLE_DICTIONARY;
 * every list of exactly B values, none null. When any does not hold it throws {@link Unsupported} naming the file
 * and what, so that a caller can read that file with Spark's reader instead.
 */
public final class SpectrumPages implements Closeable {

  /** The file is not laid out as this reader needs (or is corrupt); the message names the file and why. */
  public static final class Unsupported extends IOException {
    private static final long serialVersionUID = 1L;

    Unsupported(String message) {
      super(message);
    }
  }

  /** The encodings this reader decodes (values, dictionary page, levels). */
  private static final java.util.Set<Encoding> READABLE = java.util.EnumSet.of(Encoding.PLAIN,
      Encoding.PLAIN_DICTIONARY, Encoding.RLE_DICTIONARY, Encoding.RLE);

  private final ParquetFileReader reader;
  private final ColumnDescriptor leaf;
  /** The pixel address columns ({@code x}, {@code y}: required INT32), when asked for; else null. */
  private final ColumnDescriptor[] keys;
  private final ColumnReader[] keyReaders = new ColumnReader[2];
  private final VersionParser.ParsedVersion writer;
  private final int channels;
  private final String name;
  private final long rows;
  private final int repWidth;
  private final int defWidth;
  private final HybridRuns levels = new HybridRuns();
  private final HybridRuns values = new HybridRuns();
  private final int[] group = new int[8];

  private PageReader pages;
  private float[] dictionary;
  /** The current dictionary's smallest and largest entry (NaN when it holds a NaN). */
  private float dictionaryMin;
  private float dictionaryMax;
  /** Bounds of the dictionaries the last {@link #read} decoded from, and whether any of its values were plain. */
  private float readMin;
  private float readMax;
  private boolean readPlain;
  private long rowsRead;
  /** Position of the next level within its list, carried across pages (a list may span two). */
  private int inList;

  // The current data page: its values are either dictionary ids (values) or plain floats (plain).
  private int pageLeft;
  private boolean dictionaryIds;
  private ByteBuffer plain;

  private SpectrumPages(ParquetFileReader reader, ColumnDescriptor leaf, ColumnDescriptor[] keys, int channels,
      String name) {
    this.reader = reader;
    this.leaf = leaf;
    this.keys = keys;
    VersionParser.ParsedVersion v;
    try {
      v = VersionParser.parse(reader.getFooter().getFileMetaData().getCreatedBy());
    } catch (VersionParser.VersionParseException | RuntimeException e) {
      v = null; // only consulted for encodings our key columns do not use
    }
    this.writer = v;
    this.channels = channels;
    this.name = name;
    this.rows = reader.getRecordCount();
    this.repWidth = 32 - Integer.numberOfLeadingZeros(leaf.getMaxRepetitionLevel());
    this.defWidth = 32 - Integer.numberOfLeadingZeros(leaf.getMaxDefinitionLevel());
  }

  /**
   * Opens {@code file}'s {@code column} for reading lists of {@code channels} floats.
   *
   * @throws Unsupported when the column's type or structure is not one this reader handles
   */
  public static SpectrumPages open(Configuration conf, Path file, String column, int channels) throws IOException {
    return open(conf, file, 0, Long.MAX_VALUE, column, channels, null, null);
  }

  /**
   * Opens the row groups of {@code file} whose midpoint lies in bytes {@code [start, start + length)} (the rule
   * Spark's Parquet reader applies to a file split), reading {@code column} and, when {@code xColumn} and
   * {@code yColumn} are given, each pixel's address from those required INT32 columns ({@link #read(float[], int[],
   * int[])}).
   *
   * @throws Unsupported when a column's type or structure is not one this reader handles
   */
  public static SpectrumPages open(Configuration conf, Path file, long start, long length, String column,
      int channels, String xColumn, String yColumn) throws IOException {
    if (channels < 1) {
      throw new IllegalArgumentException("channels must be >= 1, got " + channels);
    }
    long end = length > Long.MAX_VALUE - start ? Long.MAX_VALUE : start + length;
    ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf),
        HadoopReadOptions.builder(conf).withRange(start, end).build());
    try {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      String name = file.toString();
      if (!schema.containsField(column)) {
        throw new Unsupported(name + ": no column " + column);
      }
      ColumnDescriptor leaf = null;
      for (ColumnDescriptor c : schema.getColumns()) {
        if (c.getPath()[0].equals(column)) {
          if (leaf != null) {
            throw new Unsupported(name + ": column " + column + " has more than one leaf");
          }
          leaf = c;
        }
      }
      Type top = schema.getType(column);
      if (leaf == null || top.isPrimitive()) {
        throw new Unsupported(name + ": column " + column + " is not a list");
      }
      if (leaf.getPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.FLOAT) {
        throw new Unsupported(name + ": column " + column + " holds " + leaf.getPrimitiveType()
            .getPrimitiveTypeName() + ", not FLOAT");
      }
      if (leaf.getMaxRepetitionLevel() != 1) {
        throw new Unsupported(name + ": column " + column + " is not a list of values (repetition level "
            + leaf.getMaxRepetitionLevel() + ")");
      }
      for (org.apache.parquet.hadoop.metadata.BlockMetaData group : reader.getRowGroups()) {
        for (org.apache.parquet.hadoop.metadata.ColumnChunkMetaData chunk : group.getColumns()) {
          if (chunk.getPath().equals(leaf.getPath().length == 0 ? null
              : org.apache.parquet.hadoop.metadata.ColumnPath.get(leaf.getPath()))
              && !READABLE.containsAll(chunk.getEncodings())) {
            throw new Unsupported(name + ": column " + column + " encoded " + chunk.getEncodings());
          }
        }
      }
      List<Type> requested = new java.util.ArrayList<>(List.of(top));
      ColumnDescriptor[] keys = null;
      if (xColumn != null && yColumn != null) {
        keys = new ColumnDescriptor[] {keyColumn(schema, xColumn, name), keyColumn(schema, yColumn, name)};
        requested.add(schema.getType(xColumn));
        requested.add(schema.getType(yColumn));
      }
      reader.setRequestedSchema(new MessageType(schema.getName(), requested));
      return new SpectrumPages(reader, leaf, keys, channels, name);
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  /** A required INT32 top-level column. */
  private static ColumnDescriptor keyColumn(MessageType schema, String column, String name) throws Unsupported {
    if (!schema.containsField(column) || !schema.getType(column).isPrimitive()) {
      throw new Unsupported(name + ": no INT32 column " + column);
    }
    ColumnDescriptor c = schema.getColumnDescription(new String[] {column});
    if (c.getPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.INT32 || c.getMaxDefinitionLevel() != 0) {
      throw new Unsupported(name + ": column " + column + " is not a required INT32");
    }
    return c;
  }

  /** Rows (pixels) in the file (in the row groups of the byte range it was opened for). */
  public long rows() {
    return rows;
  }

  /**
   * Fills {@code block} with the next spectra, pixel-major ({@code block[p·B + c]}), at most
   * {@code block.length / B} of them; returns how many (0 at the end of the file).
   */
  public int read(float[] block) throws IOException {
    return read(block, null, null);
  }

  /**
   * As {@link #read(float[])}, with each pixel's address into {@code xs[p]}, {@code ys[p]} (at least as long as the
   * block's pixels) when the reader was opened with address columns.
   */
  public int read(float[] block, int[] xs, int[] ys) throws IOException {
    return read(block, 0, block.length / channels, xs, ys);
  }

  /**
   * As {@link #read(float[], int[], int[])}, at most {@code maxPixels} spectra into {@code block} from pixel
   * {@code at} on (values {@code [at·B, ...)}, addresses {@code xs[at ...]}, {@code ys[at ...]}).
   */
  public int read(float[] block, int at, int maxPixels, int[] xs, int[] ys) throws IOException {
    if ((xs != null) != (keys != null)) {
      throw new IllegalStateException("addresses are read when, and only when, the reader was opened with them");
    }
    int pixels = (int) Math.min(maxPixels, rows - rowsRead);
    int n = at * channels + pixels * channels;
    int off = at * channels;
    readMin = Float.POSITIVE_INFINITY;
    readMax = Float.NEGATIVE_INFINITY;
    readPlain = false;
    while (off < n) {
      if (pageLeft == 0) {
        nextPage();
      }
      int k = Math.min(pageLeft, n - off);
      if (xs != null) {
        // the addresses of the pixels whose first value starts here (a page may begin inside a spectrum)
        int fromPixel = (off + channels - 1) / channels; // absolute pixel index in the block
        int toPixel = (off + k + channels - 1) / channels;
        for (int p = fromPixel; p < toPixel; p++) {
          xs[p] = nextKey(0);
          ys[p] = nextKey(1);
        }
      }
      if (dictionaryIds) {
        values.readFloats(dictionary, block, off, k);
        readMin = Math.min(readMin, dictionaryMin);
        readMax = Math.max(readMax, dictionaryMax);
      } else {
        plain.asFloatBuffer().get(block, off, k);
        plain.position(plain.position() + 4 * k);
        readPlain = true;
      }
      off += k;
      pageLeft -= k;
    }
    rowsRead += pixels;
    if (rowsRead == rows && (pageLeft != 0 || inList != 0 || nextPageInGroup() != null)) {
      throw new Unsupported(name + ": more spectrum values than " + rows + " rows of " + channels);
    }
    return pixels;
  }

  /**
   * Bounds on the values the last {@link #read} gave, known without looking at them: when every one came from a
   * dictionary page, each is one of its row group's dictionary entries, so they all lie within the entries' smallest
   * and largest ({@code out[0]}, {@code out[1]}; NaN when an entry is NaN). Returns false (nothing written) when some
   * came from plain pages.
   */
  public boolean dictionaryBounds(float[] out) {
    if (readPlain) {
      return false;
    }
    out[0] = readMin;
    out[1] = readMax;
    return true;
  }

  private int nextKey(int which) {
    ColumnReader r = keyReaders[which];
    int v = r.getInteger();
    r.consume();
    return v;
  }

  private DataPage nextPageInGroup() {
    return pages == null ? null : pages.readPage();
  }

  /** Loads the next data page (and row group, with its dictionary, when the last one is used up). */
  private void nextPage() throws IOException {
    DataPage page = nextPageInGroup();
    while (page == null) {
      PageReadStore group = reader.readNextRowGroup();
      if (group == null) {
        throw new Unsupported(name + ": fewer spectrum values than " + rows + " rows of " + channels);
      }
      pages = group.getPageReader(leaf);
      if (keys != null) {
        for (int i = 0; i < 2; i++) {
          keyReaders[i] = new ColumnReaderImpl(keys[i], group.getPageReader(keys[i]), IGNORED, writer);
        }
      }
      DictionaryPage d = pages.readDictionaryPage();
      dictionary = d == null ? null : dictionary(d);
      page = pages.readPage();
    }
    if (page instanceof DataPageV1 v1) {
      loadV1(v1);
    } else if (page instanceof DataPageV2 v2) {
      loadV2(v2);
    } else {
      throw new Unsupported(name + ": unknown data page " + page.getClass().getName());
    }
  }

  private float[] dictionary(DictionaryPage d) throws IOException {
    if (d.getEncoding() != Encoding.PLAIN_DICTIONARY && d.getEncoding() != Encoding.PLAIN) {
      throw new Unsupported(name + ": dictionary page encoded " + d.getEncoding());
    }
    ByteBuffer bytes = d.getBytes().toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    float[] dict = new float[d.getDictionarySize()];
    if (bytes.remaining() < 4L * dict.length) {
      throw new Unsupported(name + ": dictionary page shorter than its " + dict.length + " floats");
    }
    bytes.asFloatBuffer().get(dict);
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (float v : dict) { // Math.min and max propagate NaN
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    dictionaryMin = lo;
    dictionaryMax = hi;
    return dict;
  }

  private void loadV1(DataPageV1 page) throws IOException {
    if (page.getRlEncoding() != Encoding.RLE || page.getDlEncoding() != Encoding.RLE) {
      throw new Unsupported(name + ": levels encoded " + page.getRlEncoding() + "/" + page.getDlEncoding());
    }
    // The decompressed page's own array where it has one (parquet's decompressor makes a fresh one a page), not
    // toByteArray's copy of it: that copy was 1.7 GB of garbage in a 2048² VCA-FCLS command (JFR).
    ByteBuffer bytes = page.getBytes().toByteBuffer();
    byte[] data;
    int pos;
    int end;
    if (bytes.hasArray()) {
      data = bytes.array();
      pos = bytes.arrayOffset() + bytes.position();
      end = pos + bytes.remaining();
    } else {
      data = new byte[bytes.remaining()];
      bytes.get(data);
      pos = 0;
      end = data.length;
    }
    int count = page.getValueCount();
    int repLength = lengthAt(data, pos, end);
    checkRepetition(data, pos + 4, pos + 4 + repLength, count);
    pos += 4 + repLength;
    int defLength = lengthAt(data, pos, end);
    checkDefinition(data, pos + 4, pos + 4 + defLength, count);
    pos += 4 + defLength;
    loadValues(page.getValueEncoding(), data, pos, end, count);
  }

  private void loadV2(DataPageV2 page) throws IOException {
    if (page.getNullCount() != 0) {
      throw new Unsupported(name + ": a page with " + page.getNullCount() + " null values");
    }
    int count = page.getValueCount();
    byte[] rep = page.getRepetitionLevels().toByteArray();
    checkRepetition(rep, 0, rep.length, count);
    byte[] def = page.getDefinitionLevels().toByteArray();
    checkDefinition(def, 0, def.length, count);
    byte[] data = page.getData().toByteArray();
    loadValues(page.getDataEncoding(), data, 0, data.length, count);
  }

  /** The little-endian length of a levels run at {@code pos}, checked against the page's end. */
  private int lengthAt(byte[] data, int pos, int end) throws IOException {
    if (pos + 4 > end) {
      throw new Unsupported(name + ": data page shorter than its levels");
    }
    int length = (data[pos] & 0xff) | (data[pos + 1] & 0xff) << 8 | (data[pos + 2] & 0xff) << 16
        | (data[pos + 3] & 0xff) << 24;
    if (length < 0 || pos + 4 + length > end) {
      throw new Unsupported(name + ": data page shorter than its levels");
    }
    return length;
  }

  private void loadValues(Encoding encoding, byte[] data, int from, int to, int count) throws IOException {
    switch (encoding) {
      case PLAIN_DICTIONARY, RLE_DICTIONARY -> {
        if (dictionary == null || from >= to) {
          throw new Unsupported(name + ": dictionary-encoded page without a dictionary");
        }
        values.reset(data, from + 1, to, data[from], name);
        dictionaryIds = true;
      }
      case PLAIN -> {
        if (to - from < 4L * count) {
          throw new Unsupported(name + ": plain page shorter than its " + count + " floats");
        }
        plain = ByteBuffer.wrap(data, from, to - from).slice().order(ByteOrder.LITTLE_ENDIAN);
        dictionaryIds = false;
      }
      default -> throw new Unsupported(name + ": values encoded " + encoding);
    }
    pageLeft = count;
  }

  /** Checks, run by run, that repetition level 0 comes exactly at every B-th value (a new list) and 1 elsewhere. */
  private void checkRepetition(byte[] data, int from, int to, int count) throws IOException {
    levels.reset(data, from, to, repWidth, name);
    int b = channels;
    int left = count;
    while (left > 0) {
      levels.nextRun();
      int n = Math.min(levels.remaining(), left);
      if (levels.isRle()) {
        int v = levels.rleValue();
        if (v == 1 && inList > 0 && inList + n <= b) { // the long runs inside a spectrum
          inList = (inList + n) % b;
        } else if (v == 0 && b == 1) {
          inList = 0;
        } else if (v == 0 && n == 1 && inList == 0) {
          inList = 1 % b;
        } else {
          throw listLength();
        }
        levels.skipRepeated(n);
      } else {
        for (int g = 0; g < n; g += 8) {
          levels.packedGroup(group);
          for (int i = 0, e = Math.min(8, n - g); i < e; i++) {
            if ((group[i] == 0) != (inList == 0) || group[i] > 1) {
              throw listLength();
            }
            inList = inList + 1 == b ? 0 : inList + 1;
          }
        }
      }
      left -= n;
    }
  }

  private Unsupported listLength() {
    return new Unsupported(name + ": a spectrum that is not a list of " + channels + " values");
  }

  /** Checks that every definition level is the maximum: no null or empty spectrum, no null value. */
  private void checkDefinition(byte[] data, int from, int to, int count) throws IOException {
    int max = leaf.getMaxDefinitionLevel();
    levels.reset(data, from, to, defWidth, name);
    int left = count;
    while (left > 0) {
      levels.nextRun();
      int n = Math.min(levels.remaining(), left);
      if (levels.isRle()) {
        if (levels.rleValue() != max) {
          throw new Unsupported(name + ": a null or empty spectrum, or a null value");
        }
        levels.skipRepeated(n);
      } else {
        for (int g = 0; g < n; g += 8) {
          levels.packedGroup(group);
          for (int i = 0, e = Math.min(8, n - g); i < e; i++) {
            if (group[i] != max) {
              throw new Unsupported(name + ": a null or empty spectrum, or a null value");
            }
          }
        }
      }
      left -= n;
    }
  }

  /** The key readers' converter: never called, the values are taken with {@code getInteger}. */
  private static final PrimitiveConverter IGNORED = new PrimitiveConverter() {
  };

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
