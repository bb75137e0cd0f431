package org.eelsunmix.autoencoder;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Java arrays of an ND4J data type ({@code float[]} for FLOAT, {@code double[]} for DOUBLE) and bulk copies between
 * them and dense C-order arrays through the arrays' NIO views (bulk gets and puts), so {@link SameConvolution}
 * rearranges data in plain Java whatever precision (float or double) the network uses.
 */
final class Staging {
  private Staging() {}

  static Object array(DataType type, int length) {
    return switch (type) {
      case FLOAT -> new float[length];
      case DOUBLE -> new double[length];
      default -> throw new IllegalArgumentException("the fused convolution takes FLOAT or DOUBLE, got " + type);
    };
  }

  /** Length of an array made by {@link #array}. */
  static int length(Object array) {
    return array instanceof float[] f ? f.length : ((double[]) array).length;
  }

  /** Copies {@code length} elements of dense {@code a} from element {@code from} into {@code dst}. */
  static void read(INDArray a, long from, Object dst, int length) {
    read(a, from, dst, 0, length);
  }

  /** Copies {@code length} elements of dense {@code a} from element {@code from} into {@code dst} from {@code to}. */
  static void read(INDArray a, long from, Object dst, int to, int length) {
    int at = (int) (a.offset() + from);
    if (dst instanceof float[] f) {
      a.data().asNioFloat().get(at, f, to, length);
    } else {
      a.data().asNioDouble().get(at, (double[]) dst, to, length);
    }
  }

  /** Copies {@code length} elements of {@code src} from {@code from} into dense {@code a} from element {@code at}. */
  static void write(Object src, int from, INDArray a, long at, int length) {
    int to = (int) (a.offset() + at);
    if (src instanceof float[] f) {
      a.data().asNioFloat().put(to, f, from, length);
    } else {
      a.data().asNioDouble().put(to, (double[]) src, from, length);
    }
  }

  /** Writes runs of a Java array (or zeros) into a dense array's buffer: one bulk NIO put per run. */
  interface Runs {
    /** Copies {@code length} elements of {@code src} from {@code from} to element {@code at} of the array. */
    void copy(Object src, int from, int at, int length);

    /** Zeros {@code length} elements from element {@code at} (at most the {@code longest} given to {@link #runs}). */
    void zero(int at, int length);
  }

  /** Runs into dense {@code a} (FLOAT or DOUBLE), zero runs up to {@code longest} long. */
  static Runs runs(INDArray a, int longest) {
    int base = (int) a.offset();
    if (a.dataType() == DataType.FLOAT) {
      java.nio.FloatBuffer b = a.data().asNioFloat();
      float[] zeros = new float[longest];
      return new Runs() {
        @Override
        public void copy(Object src, int from, int at, int length) {
          b.put(base + at, (float[]) src, from, length);
        }

        @Override
        public void zero(int at, int length) {
          b.put(base + at, zeros, 0, length);
        }
      };
    }
    if (a.dataType() != DataType.DOUBLE) {
      throw new IllegalArgumentException("the fused convolution takes FLOAT or DOUBLE, got " + a.dataType());
    }
    java.nio.DoubleBuffer b = a.data().asNioDouble();
    double[] zeros = new double[longest];
    return new Runs() {
      @Override
      public void copy(Object src, int from, int at, int length) {
        b.put(base + at, (double[]) src, from, length);
      }

      @Override
      public void zero(int at, int length) {
        b.put(base + at, zeros, 0, length);
      }
    };
  }
}
