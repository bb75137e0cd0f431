package org.eelsunmix.autoencoder;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Copies between ND4J arrays and Java arrays through the array's NIO view of its native memory: plain Java loads and
 * stores, no native call per element or per operation. The layers use it to hand whole batches to their Java kernels.
 */
final class NdBuffers {
  private NdBuffers() {}

  /** Whether {@code a} is stored densely in C order, so its elements are one run of its buffer. */
  static boolean dense(INDArray a) {
    long[] shape = a.shape();
    long[] stride = a.stride();
    long expected = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      // A dimension of size 1 may carry any stride.
      if (shape[d] != 1 && stride[d] != expected) {
        return false;
      }
      expected *= shape[d];
    }
    return true;
  }

  /** Whether {@code a} is stored densely in Fortran order (DL4J's dense weights are), one run of its buffer. */
  static boolean denseFortran(INDArray a) {
    long[] shape = a.shape();
    long[] stride = a.stride();
    long expected = 1;
    for (int d = 0; d < shape.length; d++) {
      if (shape[d] != 1 && stride[d] != expected) {
        return false;
      }
      expected *= shape[d];
    }
    return true;
  }

  /** Copies the buffer run of a dense C- or Fortran-order FLOAT array, in storage order, into {@code dst}. */
  static void readStored(INDArray a, float[] dst) {
    requireStored(a);
    a.data().asNioFloat().get((int) a.offset(), dst, 0, (int) a.length());
  }

  /** Writes {@code src} into the buffer run of a dense C- or Fortran-order FLOAT array, in storage order. */
  static void writeStored(float[] src, INDArray a) {
    requireStored(a);
    a.data().asNioFloat().put((int) a.offset(), src, 0, (int) a.length());
  }

  private static void requireStored(INDArray a) {
    if (a.dataType() != DataType.FLOAT || !(dense(a) || denseFortran(a))) {
      throw new IllegalArgumentException("expected a dense float array, got " + a.dataType() + " shape "
          + java.util.Arrays.toString(a.shape()) + " strides " + java.util.Arrays.toString(a.stride()));
    }
  }

  private static INDArray denseOf(INDArray a) {
    return dense(a) ? a : a.dup('c');
  }

  /** Copies all elements of {@code a} (C order, FLOAT or DOUBLE) into {@code dst[0 ..)}. */
  static void read(INDArray a, float[] dst) {
    INDArray d = denseOf(a);
    int n = (int) d.length();
    int offset = (int) d.offset();
    if (d.dataType() == DataType.FLOAT) {
      FloatBuffer b = d.data().asNioFloat();
      b.get(offset, dst, 0, n);
    } else {
      DoubleBuffer b = d.data().asNioDouble();
      for (int i = 0; i < n; i++) {
        dst[i] = (float) b.get(offset + i);
      }
    }
  }

  /** Copies all elements of {@code a} (C order, FLOAT or DOUBLE) into {@code dst[0 ..)} as doubles. */
  static void read(INDArray a, double[] dst) {
    INDArray d = denseOf(a);
    int n = (int) d.length();
    int offset = (int) d.offset();
    if (d.dataType() == DataType.DOUBLE) {
      d.data().asNioDouble().get(offset, dst, 0, n);
    } else {
      FloatBuffer b = d.data().asNioFloat();
      for (int i = 0; i < n; i++) {
        dst[i] = b.get(offset + i);
      }
    }
  }

  /** Writes {@code src[0 .. a.length())} into {@code a}, which must be dense in C order (FLOAT or DOUBLE). */
  static void write(float[] src, INDArray a) {
    write(src, 0, a);
  }

  /** Writes {@code src[from .. from + a.length())} into {@code a}, dense in C order (FLOAT or DOUBLE). */
  static void write(float[] src, int from, INDArray a) {
    requireDense(a);
    int n = (int) a.length();
    int offset = (int) a.offset();
    if (a.dataType() == DataType.FLOAT) {
      a.data().asNioFloat().put(offset, src, from, n);
    } else {
      DoubleBuffer b = a.data().asNioDouble();
      for (int i = 0; i < n; i++) {
        b.put(offset + i, src[from + i]);
      }
    }
  }

  /** Writes {@code src[0 .. a.length())} into {@code a}, which must be dense in C order (FLOAT or DOUBLE). */
  static void write(double[] src, INDArray a) {
    requireDense(a);
    int n = (int) a.length();
    int offset = (int) a.offset();
    if (a.dataType() == DataType.DOUBLE) {
      a.data().asNioDouble().put(offset, src, 0, n);
    } else {
      FloatBuffer b = a.data().asNioFloat();
      for (int i = 0; i < n; i++) {
        b.put(offset + i, (float) src[i]);
      }
    }
  }

  private static void requireDense(INDArray a) {
    if (!dense(a)) {
      throw new IllegalArgumentException("expected a dense C-order array, got shape "
          + java.util.Arrays.toString(a.shape()) + " strides " + java.util.Arrays.toString(a.stride()));
    }
  }
}
