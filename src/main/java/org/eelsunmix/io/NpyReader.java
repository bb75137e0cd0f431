package org.eelsunmix.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.eelsunmix.core.BadInputException;

/**
 * Reads the numbers of a NumPy {@code .npy} file (format: NEP 1, {@code numpy.lib.format}; header see
 * {@link NpyHeader}) as {@code float} or {@code double}, either whole or as a contiguous range of elements.
 * Values are converted by {@link NumericType} (both byte orders).
 *
 * <p>Whole arrays are returned in C (row-major) order; a Fortran-order file is reordered while it is read, with no
 * second copy of the array. {@link #readRange(long, float[], int, int)} streams any contiguous run of elements
 * through one reader-owned 1 MiB buffer, so a large spectrum image can be read tile by tile (rows of pixels) without
 * ever holding it whole. A reader is not thread-safe; open one per thread.
 */
public final class NpyReader implements Closeable {
  private static final int BUFFER_BYTES = 1 << 20;
  /** Java arrays cannot quite reach Integer.MAX_VALUE elements on common JVMs. */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private final String source;
  private final FileChannel channel;
  private final NpyHeader header;
  private final StoredValues values;
  private final int chunkElements;
  private float[] floatChunk;
  private double[] doubleChunk;

  private NpyReader(String source, FileChannel channel, NpyHeader header) {
    this.source = source;
    this.channel = channel;
    this.header = header;
    this.chunkElements = BUFFER_BYTES / header.elementSize();
    this.values = new StoredValues(source, channel, header.dataOffset(), header.elementCount(), header.dtype(),
        header.byteOrder());
  }

  /**
   * Opens {@code file} and checks its header (see {@link NpyHeader#parse}).
   *
   * @throws BadInputException if the file is missing or is not a complete .npy file of real numbers
   */
  public static NpyReader open(Path file) throws IOException {
    String source = file.toString();
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new BadInputException(source, "no such file");
    }
    try {
      return new NpyReader(source, ch, NpyHeader.parse(ch, source));
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Reads a whole file; see {@link NpyArray} for which element types are kept as float and which as double. */
  public static NpyArray read(Path file) throws IOException {
    try (NpyReader r = open(file)) {
      int[] shape = r.intShape();
      NumericType t = r.header.dtype();
      return t.exactAsFloat() ? NpyArray.ofFloats(shape, t, r.readAllFloats())
          : NpyArray.ofDoubles(shape, t, r.readAllDoubles());
    }
  }

  /** The file's header. */
  public NpyHeader header() {
    return header;
  }

  /** The file name used in error messages. */
  public String source() {
    return source;
  }

  /** Number of elements in the file. */
  public long elementCount() {
    return header.elementCount();
  }

  /**
   * The shape as {@code int}s, for arrays that are to be held in memory.
   *
   * @throws BadInputException if the array is too large for one Java array
   */
  public int[] intShape() {
    checkFitsInMemory();
    long[] s = header.shape();
    int[] out = new int[s.length];
    for (int i = 0; i < s.length; i++) {
      if (s[i] > MAX_ARRAY) {
        throw new BadInputException(source, "dimension " + i + " of shape " + header.shapeString()
            + " is too large to hold in memory");
      }
      out[i] = (int) s[i];
    }
    return out;
  }

  /** The whole array as floats, in C order. */
  public float[] readAllFloats() throws IOException {
    checkFitsInMemory();
    float[] out = new float[(int) elementCount()];
    if (!needsReordering()) {
      readStored(0, out, 0, out.length);
      return out;
    }
    if (floatChunk == null) {
      floatChunk = new float[chunkElements];
    }
    FortranWalk walk = new FortranWalk(header.shape());
    for (long first = 0; first < out.length; first += chunkElements) {
      int n = (int) Math.min(chunkElements, out.length - first);
      readStored(first, floatChunk, 0, n);
      for (int k = 0; k < n; k++) {
        out[walk.cIndex] = floatChunk[k];
        walk.next();
      }
    }
    return out;
  }

  /** The whole array as doubles, in C order. */
  public double[] readAllDoubles() throws IOException {
    checkFitsInMemory();
    double[] out = new double[(int) elementCount()];
    if (!needsReordering()) {
      readStored(0, out, 0, out.length);
      return out;
    }
    if (doubleChunk == null) {
      doubleChunk = new double[chunkElements];
    }
    FortranWalk walk = new FortranWalk(header.shape());
    for (long first = 0; first < out.length; first += chunkElements) {
      int n = (int) Math.min(chunkElements, out.length - first);
      readStored(first, doubleChunk, 0, n);
      for (int k = 0; k < n; k++) {
        out[walk.cIndex] = doubleChunk[k];
        walk.next();
      }
    }
    return out;
  }

  /**
   * Reads elements {@code first ... first + count - 1} in C order into {@code out[offset ...]}. For a
   * {@code rows × cols × channels} cube, rows {@code y0 ... y1 - 1} are elements
   * {@code y0·cols·channels ... y1·cols·channels - 1}.
   *
   * @throws BadInputException if the file is in Fortran order (a C-order range is not contiguous there; read it
   *     whole, or re-save it with {@code numpy.ascontiguousarray})
   * @throws IndexOutOfBoundsException if the range lies outside the array or {@code out}
   */
  public void readRange(long first, float[] out, int offset, int count) throws IOException {
    requireContiguousCOrder();
    readStored(first, out, offset, count);
  }

  /** As {@link #readRange(long, float[], int, int)}, into doubles. */
  public void readRange(long first, double[] out, int offset, int count) throws IOException {
    requireContiguousCOrder();
    readStored(first, out, offset, count);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  // ---------------------------------------------------------------------------------------------------------------

  private void readStored(long first, float[] out, int offset, int count) throws IOException {
    checkRange(first, out.length, offset, count);
    values.read(first, count, out, offset);
  }

  private void readStored(long first, double[] out, int offset, int count) throws IOException {
    checkRange(first, out.length, offset, count);
    values.read(first, count, out, offset);
  }

  private void checkRange(long first, int outLength, int offset, int count) {
    Objects.checkFromIndexSize(offset, count, outLength);
    if (first < 0 || first > elementCount() - count) {
      throw new IndexOutOfBoundsException("elements " + first + " + " + count + " outside an array of "
          + elementCount() + " in " + source);
    }
  }

  /** Fortran and C order differ only when two or more dimensions exceed 1. */
  private boolean needsReordering() {
    if (!header.fortranOrder()) {
      return false;
    }
    int big = 0;
    for (long d : header.shape()) {
      if (d > 1) {
        big++;
      }
    }
    return big > 1;
  }

  private void requireContiguousCOrder() {
    if (needsReordering()) {
      throw new BadInputException(source, "stored in Fortran (column-major) order, so it cannot be read in "
          + "pieces; read it whole or re-save it with numpy.ascontiguousarray");
    }
  }

  private void checkFitsInMemory() {
    long n = elementCount();
    if (n > MAX_ARRAY) {
      throw new BadInputException(source, String.format("%d values (shape %s) are too many to hold in one "
          + "array; read it in tiles", n, header.shapeString()));
    }
  }

  /**
   * Walks the elements in Fortran storage order (first index fastest) and tracks the C-order index of the
   * current one, so a Fortran file is reordered in one pass.
   */
  private static final class FortranWalk {
    private final long[] dims;
    private final int[] cStride;
    private final long[] index;
    int cIndex;

    FortranWalk(long[] dims) {
      this.dims = dims;
      this.cStride = new int[dims.length];
      this.index = new long[dims.length];
      int s = 1;
      for (int j = dims.length - 1; j >= 0; j--) {
        cStride[j] = s;
        s *= (int) dims[j];
      }
    }

    void next() {
      for (int j = 0; j < dims.length; j++) {
        index[j]++;
        cIndex += cStride[j];
        if (index[j] < dims[j]) {
          return;
        }
        cIndex -= (int) (dims[j] * cStride[j]);
        index[j] = 0;
      }
    }
  }
}
