package org.eelsunmix.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.io.NpyHeader.ElementType;

/**
 * Reads the numbers of a NumPy {@code .npy} file (format: NEP 1, {@code numpy.lib.format}; header see
 * {@link NpyHeader}) as {@code float} or {@code double}, either whole or as a contiguous range of elements.
 *
 * <p>Conversion, element by element: float32 and float64 are read exactly into their own width (float64 read as
 * float is rounded to nearest, values beyond ±3.4·10<sup>38</sup> become infinite); float16 is widened exactly
 * (IEEE 754 binary16: sign, 5-bit exponent with bias 15, 10-bit fraction); 8-, 16- and 32-bit integers, signed or
 * unsigned, are exact as double (and as float up to 2<sup>24</sup>); int64 and uint64 are rounded to the nearest
 * representable value (exact up to 2<sup>53</sup> as double). Both byte orders are handled.
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
  private final ByteBuffer buffer;
  private final int chunkElements;
  private float[] floatChunk;
  private double[] doubleChunk;

  private NpyReader(String source, FileChannel channel, NpyHeader header) {
    this.source = source;
    this.channel = channel;
    this.header = header;
    this.chunkElements = BUFFER_BYTES / header.elementSize();
    this.buffer = ByteBuffer.allocate(chunkElements * header.elementSize()).order(header.byteOrder());
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
      ElementType t = r.header.dtype();
      boolean single = t == ElementType.FLOAT32 || t == ElementType.FLOAT16 || t.size() <= 2;
      return single ? NpyArray.ofFloats(shape, t, r.readAllFloats())
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
    int done = 0;
    while (done < count) {
      int n = Math.min(chunkElements, count - done);
      fetch(first + done, n);
      decode(out, offset + done, n);
      done += n;
    }
  }

  private void readStored(long first, double[] out, int offset, int count) throws IOException {
    checkRange(first, out.length, offset, count);
    int done = 0;
    while (done < count) {
      int n = Math.min(chunkElements, count - done);
      fetch(first + done, n);
      decode(out, offset + done, n);
      done += n;
    }
  }

  private void checkRange(long first, int outLength, int offset, int count) {
    Objects.checkFromIndexSize(offset, count, outLength);
    if (first < 0 || first > elementCount() - count) {
      throw new IndexOutOfBoundsException("elements " + first + " + " + count + " outside an array of "
          + elementCount() + " in " + source);
    }
  }

  /** Fills the buffer with the bytes of {@code n} stored elements starting at element {@code first}. */
  private void fetch(long first, int n) throws IOException {
    buffer.clear().limit(n * header.elementSize());
    long position = header.dataOffset() + first * header.elementSize();
    while (buffer.hasRemaining()) {
      int r = channel.read(buffer, position);
      if (r < 0) {
        throw new BadInputException(source, "truncated: the file ended at byte " + position + " while reading "
            + "data (was it changed while being read?)");
      }
      position += r;
    }
    buffer.flip();
  }

  /** Converts the {@code n} elements in the buffer into {@code out[offset ...]}; the switch is outside the loops. */
  private void decode(float[] out, int offset, int n) {
    ByteBuffer b = buffer;
    int end = offset + n;
    switch (header.dtype()) {
      case FLOAT32 -> b.asFloatBuffer().get(out, offset, n);
      case FLOAT64 -> {
        for (int i = offset; i < end; i++) {
          out[i] = (float) b.getDouble();
        }
      }
      case FLOAT16 -> {
        for (int i = offset; i < end; i++) {
          out[i] = halfToFloat(b.getShort());
        }
      }
      case INT8 -> {
        for (int i = offset; i < end; i++) {
          out[i] = b.get();
        }
      }
      case UINT8 -> {
        for (int i = offset; i < end; i++) {
          out[i] = b.get() & 0xFF;
        }
      }
      case INT16 -> {
        for (int i = offset; i < end; i++) {
          out[i] = b.getShort();
        }
      }
      case UINT16 -> {
        for (int i = offset; i < end; i++) {
          out[i] = b.getShort() & 0xFFFF;
        }
      }
      case INT32 -> {
        for (int i = offset; i < end; i++) {
          out[i] = b.getInt();
        }
      }
      case UINT32 -> {
        for (int i = offset; i < end; i++) {
          out[i] = b.getInt() & 0xFFFFFFFFL;
        }
      }
      case INT64 -> {
        for (int i = offset; i < end; i++) {
          out[i] = b.getLong();
        }
      }
      case UINT64 -> {
        for (int i = offset; i < end; i++) {
          out[i] = unsignedToFloat(b.getLong());
        }
      }
      default -> throw new AssertionError(header.dtype());
    }
  }

  private void decode(double[] out, int offset, int n) {
    ByteBuffer b = buffer;
    int end = offset + n;
    switch (header.dtype()) {
      case FLOAT64 -> b.asDoubleBuffer().get(out, offset, n);
      case FLOAT32 -> {
        for (int i = offset; i < end; i++) {
          out[i] = b.getFloat();
        }
      }
      case FLOAT16 -> {
        for (int i = offset; i < end; i++) {
          out[i] = halfToFloat(b.getShort());
        }
      }
      case INT8 -> {
        for (int i = offset; i < end; i++) {
          out[i] = b.get();
        }
      }
      case UINT8 -> {
        for (int i = offset; i < end; i++) {
          out[i] = b.get() & 0xFF;
        }
      }
      case INT16 -> {
        for (int i = offset; i < end; i++) {
          out[i] = b.getShort();
        }
      }
      case UINT16 -> {
        for (int i = offset; i < end; i++) {
          out[i] = b.getShort() & 0xFFFF;
        }
      }
      case INT32 -> {
        for (int i = offset; i < end; i++) {
          out[i] = b.getInt();
        }
      }
      case UINT32 -> {
        for (int i = offset; i < end; i++) {
          out[i] = b.getInt() & 0xFFFFFFFFL;
        }
      }
      case INT64 -> {
        for (int i = offset; i < end; i++) {
          out[i] = b.getLong();
        }
      }
      case UINT64 -> {
        for (int i = offset; i < end; i++) {
          out[i] = unsignedToDouble(b.getLong());
        }
      }
      default -> throw new AssertionError(header.dtype());
    }
  }

  /**
   * IEEE 754 binary16 to binary32, exact: normal numbers move the exponent from bias 15 to bias 127, subnormals
   * are {@code fraction · 2^-24}, infinities and NaN keep their class (NaN payload shifted into place).
   */
  static float halfToFloat(short h) {
    int bits = h & 0xFFFF;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1F;
    int fraction = bits & 0x3FF;
    if (exponent == 0) {
      float magnitude = fraction * 0x1p-24f; // zero or subnormal: exact in float
      return sign != 0 ? -magnitude : magnitude;
    }
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (fraction << 13));
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (fraction << 13));
  }

  /** uint64 to the nearest double: halve with a sticky bit so the one rounding happens in the conversion. */
  static double unsignedToDouble(long v) {
    return v >= 0 ? (double) v : (double) ((v >>> 1) | (v & 1)) * 2.0;
  }

  /** uint64 to the nearest float, rounded once (same sticky-bit halving). */
  static float unsignedToFloat(long v) {
    return v >= 0 ? (float) v : (float) ((v >>> 1) | (v & 1)) * 2.0f;
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
