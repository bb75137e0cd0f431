package org.eelsunmix.autoencoder;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Java arrays of an ND4J data type ({@code float[]} for FLOAT, {@code double[]} for DOUBLE) and bulk copies between
 * them and dense C-order arrays through the arrays' NIO views, so {@link SameConvolution} rearranges data with
 * {@code System.arraycopy} (type-agnostic) whatever precision the network uses.
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

  /** Copies {@code length} elements of dense {@code a} from element {@code from} into {@code dst}. */
  static void read(INDArray a, long from, Object dst, int length) {
    int at = (int) (a.offset() + from);
    if (dst instanceof float[] f) {
      a.data().asNioFloat().get(at, f, 0, length);
    } else {
      a.data().asNioDouble().get(at, (double[]) dst, 0, length);
    }
  }

  /** Writes the first {@code length} elements of {@code src} into dense {@code a} from its first element. */
  static void write(Object src, int length, INDArray a) {
    int at = (int) a.offset();
    if (src instanceof float[] f) {
      a.data().asNioFloat().put(at, f, 0, length);
    } else {
      a.data().asNioDouble().put(at, (double[]) src, 0, length);
    }
  }
}
