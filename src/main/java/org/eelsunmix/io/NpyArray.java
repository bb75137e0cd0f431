package org.eelsunmix.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * A whole .npy array in memory, in C (row-major) order: its shape and its values as {@code float[]} or
 * {@code double[]}.
 *
 * <p>{@link NpyReader#read(java.nio.file.Path)} keeps single precision where it is exact: float16, float32 and
 * 8- and 16-bit integers become {@code float}; float64 and 32- and 64-bit integers become {@code double} (64-bit
 * integers beyond 2<sup>53</sup> are rounded to the nearest double). Immutable by convention: the array is owned
 * by this object once passed in.
 */
public final class NpyArray {
  private final int[] shape;
  private final NumericType sourceType;
  private final float[] floats;
  private final double[] doubles;

  private NpyArray(int[] shape, NumericType sourceType, float[] floats, double[] doubles) {
    this.shape = Objects.requireNonNull(shape, "shape").clone();
    this.sourceType = Objects.requireNonNull(sourceType, "sourceType");
    this.floats = floats;
    this.doubles = doubles;
    long n = 1;
    for (int d : this.shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n *= d;
    }
    long length = floats != null ? floats.length : doubles.length;
    if (n != length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got "
          + length);
    }
  }

  /** Single-precision values (owned, not copied) of the given shape, read from elements of {@code sourceType}. */
  public static NpyArray ofFloats(int[] shape, NumericType sourceType, float[] values) {
    return new NpyArray(shape, sourceType, Objects.requireNonNull(values, "values"), null);
  }

  /** Double-precision values (owned, not copied) of the given shape, read from elements of {@code sourceType}. */
  public static NpyArray ofDoubles(int[] shape, NumericType sourceType, double[] values) {
    return new NpyArray(shape, sourceType, null, Objects.requireNonNull(values, "values"));
  }

  /** A copy of the shape, outermost dimension first. */
  public int[] shape() {
    return shape.clone();
  }

  /** Number of dimensions. */
  public int dimensions() {
    return shape.length;
  }

  /** Dimension {@code i}. */
  public int dimension(int i) {
    return shape[i];
  }

  /** Number of values. */
  public int size() {
    return floats != null ? floats.length : doubles.length;
  }

  /** The element type in the file. */
  public NumericType sourceType() {
    return sourceType;
  }

  /** Whether the values are held as {@code double}. */
  public boolean isDoublePrecision() {
    return doubles != null;
  }

  /** The values as floats: the backing array (do not modify) if single precision, else a rounded copy. */
  public float[] floats() {
    if (floats != null) {
      return floats;
    }
    float[] f = new float[doubles.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) doubles[i];
    }
    return f;
  }

  /** The values as doubles: the backing array (do not modify) if double precision, else an exact copy. */
  public double[] doubles() {
    if (doubles != null) {
      return doubles;
    }
    double[] d = new double[floats.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = floats[i];
    }
    return d;
  }

  @Override
  public String toString() {
    return "NpyArray[" + sourceType + " " + Arrays.toString(shape) + (doubles != null ? " as double]"
        : " as float]");
  }
}
