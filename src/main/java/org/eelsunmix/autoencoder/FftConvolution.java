package org.eelsunmix.autoencoder;

import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A same-padded convolution without bias ({@link ConvolutionKernel}) by the convolution theorem, for CNNAEU's linear
 * decoder (Palsson, Ulfarsson &amp; Sveinsson, IEEE TGRS 59(1), 2021: R abundance maps → B channels, 13×13 kernels),
 * whose direct cost, {@code 2·R·k²} per output value and pass, is mostly avoided: per patch and pass, R or B small
 * FFTs and {@code R} complex products per frequency and output channel.
 *
 * <p>Each map is zero padded to {@code ny × nx ≥ (h + k/2) × (w + k/2)} (and ≥ k), the smallest {@code 2^a·3^b}
 * ({@link Fft2d}; 40×40 patches with 13×13 kernels: 48×48), which makes the circular products equal the linear ones
 * on the patch. With {@code w_{o,c}} placed at {@code [d mod n]} for offsets {@code d ∈ [−k/2, k/2]²} and
 * {@code ^} the DFT:
 * <pre>
 *   forward   ẑ_o   = Σ_c conj(ŵ_{o,c})·x̂_c                (cross-correlation)
 *   ∂x        ∂x̂_c  = Σ_o ŵ_{o,c}·∂ẑ_o                     (convolution)
 *   ∂W        ∂W_{o,c}[d] = IDFT(Σ_n conj(∂ẑ_{n,o})·x̂_{n,c})[d mod n]
 * </pre>
 * Output channels go in pairs {@code (a, b)} packed as one complex image (real signals): the forward pass inverts
 * {@code Σ_c conj(u_c)·x̂_c} with {@code u = ŵ_a − i·ŵ_b} to get {@code z_a + i·z_b}; the backward pass transforms
 * {@code ∂z_a + i·∂z_b} once (ĉ), accumulates {@code Σ u·ĉ} (whose inverse's real part is ∂x, the conjugate-symmetric
 * part being the sum over both channels) and {@code Σ_n conj(ĉ)·x̂_c}, whose inverse is {@code ∂W_a − i·∂W_b}. The
 * pairs' kernel spectra {@code u} are kept from the forward pass while the weights are unchanged.
 *
 * <p>Work is dealt over {@link PatchWorkers} in {@value #CHUNKS} fixed chunks of channel pairs (and, for the
 * input-side transforms, by patch); each chunk sums over patches in patch order and the chunks' partial ∂x are
 * summed in chunk order, so the results do not depend on the thread count, bit for bit. Arithmetic in double
 * whatever the network's type. Buffers are allocated once per batch shape.
 */
final class FftConvolution implements ConvolutionKernel {
  /** Fixed number of chunks of output-channel pairs (the unit of parallel work and of ∂x's partial sums). */
  static final int CHUNKS = 8;

  private final int in;
  private final int out;
  private final int kernel;
  private final int pad;
  private final int pairs;
  private final int chunkPairs;
  private final int chunks;
  private int height = -1;
  private int width = -1;
  private DataType type;
  private Fft2d fft;
  private int size;
  private int capacity;
  /**
   * Input spectra, {@code [n·C]}, each {@code [kx][ky]}. Every row is an array of its own: the JIT vectorises the
   * loops only when they index from zero.
   */
  private double[][][] xRe;
  private double[][][] xIm;
  /** Kernel spectra of the pairs, {@code [pairs·C]}, for {@link #seen} weights. */
  private double[][][] uRe;
  private double[][][] uIm;
  private double[] seen;
  private boolean valid;
  /** Per chunk, patch and input channel: the partial ∂x spectra, {@code [chunks·n·C]}. */
  private double[][][] qRe;
  private double[][][] qIm;
  /** The weights as doubles, and the weight gradient being assembled, {@code [O][C][k][k]}. */
  private double[] weights;
  private double[] dWeights;
  /** The weights and their gradient in the network's type. */
  private Object staged;
  private Worker[] workers = new Worker[0];
  /** The array whose spectra {@link #xRe} holds (the last {@link #inputSpectra}), or null. */
  private INDArray transformed;

  /** Buffers of one worker thread. */
  private final class Worker {
    final Fft2d.Work work = fft.work();
    final double[][] re = fft.image();
    final double[][] im = fft.image();
    final double[][] sRe = fft.spectrum();
    final double[][] sIm = fft.spectrum();
    /** ∂W spectra of one pair, {@code [C]}. */
    final double[][][] gRe = spectra(in);
    final double[][][] gIm = spectra(in);
    final Object plane = Staging.array(type, height * width);
    final double[] planeDouble = new double[height * width];
  }

  /**
   * @param in input channels C
   * @param out output channels O
   * @param kernel side k of the square kernel (odd)
   */
  FftConvolution(int in, int out, int kernel) {
    ConvolutionKernel.requireShape("an FFT convolution", in, out, kernel);
    this.in = in;
    this.out = out;
    this.kernel = kernel;
    this.pad = kernel / 2;
    this.pairs = (out + 1) / 2;
    this.chunkPairs = (pairs + CHUNKS - 1) / CHUNKS;
    this.chunks = (pairs + chunkPairs - 1) / chunkPairs;
  }

  /** The transform side for a patch side {@code n}: circular products equal linear ones on the patch. */
  static int transformSize(int n, int kernel) {
    return BatchedFft.size(Math.max(n + kernel / 2, kernel));
  }

  private void fit(DataType t, int patches, int h, int w) {
    if (t != type || h != height || w != width) {
      type = t;
      height = h;
      width = w;
      fft = new Fft2d(transformSize(h, kernel), transformSize(w, kernel));
      size = fft.size();
      workers = new Worker[0];
      capacity = 0;
      uRe = spectra(pairs * in);
      uIm = spectra(pairs * in);
      weights = new double[out * in * kernel * kernel];
      dWeights = new double[weights.length];
      seen = new double[weights.length];
      staged = Staging.array(t, weights.length);
      valid = false;
      transformed = null;
    }
    int needed = PatchWorkers.workers(Math.max(patches, chunks));
    if (workers.length < needed) {
      Worker[] grown = java.util.Arrays.copyOf(workers, needed);
      for (int i = workers.length; i < needed; i++) {
        grown[i] = new Worker();
      }
      workers = grown;
    }
    if (patches > capacity) {
      xRe = spectra(patches * in);
      xIm = spectra(patches * in);
      qRe = spectra(chunks * patches * in);
      qIm = spectra(chunks * patches * in);
      capacity = patches;
      transformed = null;
    }
  }

  private void check(INDArray a, String what, long channels, long n) {
    if (a.rank() != 4 || a.size(1) != channels || a.size(0) != n || a.size(2) != height || a.size(3) != width
        || !NdBuffers.dense(a)) {
      throw new IllegalArgumentException(what + " must be a dense C-order [" + n + ", " + channels + ", " + height
          + ", " + width + "] array, got shape " + java.util.Arrays.toString(a.shape()));
    }
  }

  private double[][][] spectra(int count) {
    double[][][] s = new double[count][][];
    for (int i = 0; i < count; i++) {
      s[i] = fft.spectrum();
    }
    return s;
  }

  private static void zero(double[][] a) {
    for (double[] row : a) {
      java.util.Arrays.fill(row, 0.0);
    }
  }

  /** Reads the {@code h × w} plane at element {@code from} of {@code a} into {@code re} ({@code [y][x]}, zero padded). */
  private void readPlane(INDArray a, long from, double[][] re, Worker wk) {
    int plane = height * width;
    Staging.read(a, from, wk.plane, plane);
    double[] v = wk.planeDouble;
    if (wk.plane instanceof float[] f) {
      for (int i = 0; i < plane; i++) {
        v[i] = f[i];
      }
    } else {
      System.arraycopy((double[]) wk.plane, 0, v, 0, plane);
    }
    zero(re);
    for (int y = 0; y < height; y++) {
      System.arraycopy(v, y * width, re[y], 0, width);
    }
  }

  /** Writes {@code scale·src} over the {@code h × w} plane ({@code [y][x]} of the transform) at {@code at} of a. */
  private void writePlane(Staging.Runs runs, long at, double[][] src, double scale, Worker wk) {
    if (wk.plane instanceof float[] f) {
      for (int y = 0; y < height; y++) {
        double[] row = src[y];
        for (int x = 0; x < width; x++) {
          f[y * width + x] = (float) (scale * row[x]);
        }
      }
    } else {
      double[] d = (double[]) wk.plane;
      for (int y = 0; y < height; y++) {
        double[] row = src[y];
        for (int x = 0; x < width; x++) {
          d[y * width + x] = scale * row[x];
        }
      }
    }
    runs.copy(wk.plane, 0, Math.toIntExact(at), height * width);
  }

  /** The spectra of every patch's input channels into {@link #xRe}, patches over the workers. */
  private void inputSpectra(INDArray x, int n) {
    int plane = height * width;
    int threads = PatchWorkers.workers(n);
    PatchWorkers.run(threads, t -> {
      Worker wk = workers[t];
      for (int i = t; i < n; i += threads) {
        for (int c = 0; c < in; c++) {
          readPlane(x, ((long) i * in + c) * plane, wk.re, wk);
          zero(wk.im);
          fft.forward(wk.re, wk.im, xRe[i * in + c], xIm[i * in + c], wk.work);
        }
      }
    });
    transformed = x;
  }

  /** The weights as doubles; recomputes the pairs' kernel spectra when they changed. */
  private void kernelSpectra(INDArray w) {
    if (w.dataType() != type || w.length() != weights.length || !NdBuffers.dense(w)) {
      throw new IllegalArgumentException("the weights must be dense [" + out + ", " + in + ", " + kernel + ", "
          + kernel + "] of " + type + ", got " + java.util.Arrays.toString(w.shape()) + " of " + w.dataType());
    }
    Staging.read(w, 0, staged, weights.length);
    if (staged instanceof float[] f) {
      for (int i = 0; i < f.length; i++) {
        weights[i] = f[i];
      }
    } else {
      System.arraycopy((double[]) staged, 0, weights, 0, weights.length);
    }
    if (valid && java.util.Arrays.equals(weights, seen)) {
      return;
    }
    int kk = kernel * kernel;
    int nx = fft.nx;
    int ny = fft.ny;
    forChunks(chunk -> {
      Worker wk = workers[chunk.worker];
      for (int pair = chunk.first; pair < chunk.last; pair++) {
        int a = 2 * pair;
        int b = a + 1;
        for (int c = 0; c < in; c++) {
          zero(wk.re);
          zero(wk.im);
          for (int i = 0; i < kernel; i++) {
            double[] re = wk.re[Math.floorMod(i - pad, ny)];
            double[] im = wk.im[Math.floorMod(i - pad, ny)];
            for (int j = 0; j < kernel; j++) {
              int at = Math.floorMod(j - pad, nx);
              int tap = c * kk + i * kernel + j;
              re[at] = weights[a * in * kk + tap];
              im[at] = b < out ? -weights[b * in * kk + tap] : 0.0;
            }
          }
          fft.forward(wk.re, wk.im, uRe[pair * in + c], uIm[pair * in + c], wk.work);
        }
      }
    });
    System.arraycopy(weights, 0, seen, 0, weights.length);
    valid = true;
  }

  /** A chunk of pairs handed to a worker. */
  private record Chunk(int index, int first, int last, int worker) {}

  /** Runs {@code body} on every chunk, the chunks claimed by the workers in turn (results do not depend on who). */
  private void forChunks(java.util.function.Consumer<Chunk> body) {
    int threads = PatchWorkers.workers(chunks);
    AtomicInteger next = new AtomicInteger();
    PatchWorkers.run(threads, t -> {
      for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
        body.accept(new Chunk(c, c * chunkPairs, Math.min(pairs, (c + 1) * chunkPairs), t));
      }
    });
  }

  @Override
  public void forward(INDArray x, INDArray w, INDArray bias, INDArray z) {
    if (bias != null) {
      throw new IllegalArgumentException("the FFT convolution has no bias");
    }
    int n = (int) x.size(0);
    fit(x.dataType(), n, (int) x.size(2), (int) x.size(3));
    check(x, "the input", in, n);
    check(z, "the output", out, n);
    kernelSpectra(w);
    inputSpectra(x, n);
    int plane = height * width;
    double scale = 1.0 / size;
    Staging.Runs runs = Staging.runs(z, 1);
    forChunks(chunk -> {
      Worker wk = workers[chunk.worker];
      for (int pair = chunk.first; pair < chunk.last; pair++) {
        for (int i = 0; i < n; i++) {
          // ĉ = Σ_c conj(u_c)·x̂_c
          double[][] cr = wk.sRe;
          double[][] ci = wk.sIm;
          zero(cr);
          zero(ci);
          for (int c = 0; c < in; c++) {
            conjugateProductAdd(uRe[pair * in + c], uIm[pair * in + c], xRe[i * in + c], xIm[i * in + c], cr, ci);
          }
          fft.inverse(cr, ci, wk.re, wk.im, wk.work);
          int a = 2 * pair;
          writePlane(runs, ((long) i * out + a) * plane, wk.re, scale, wk);
          if (a + 1 < out) {
            writePlane(runs, ((long) i * out + a + 1) * plane, wk.im, scale, wk);
          }
        }
      }
    });
  }

  @Override
  public void backward(INDArray x, INDArray w, INDArray dz, INDArray dW, INDArray dBias, INDArray dx) {
    backward(x, w, dz, dW, dBias, dx, false);
  }

  /** As {@link #backward}, the input spectra of the last forward pass reused. */
  @Override
  public void backwardAfterForward(INDArray x, INDArray w, INDArray dz, INDArray dW, INDArray dBias, INDArray dx) {
    backward(x, w, dz, dW, dBias, dx, true);
  }

  private void backward(INDArray x, INDArray w, INDArray dz, INDArray dW, INDArray dBias, INDArray dx,
      boolean afterForward) {
    if (dBias != null) {
      throw new IllegalArgumentException("the FFT convolution has no bias");
    }
    int n = (int) x.size(0);
    fit(x.dataType(), n, (int) x.size(2), (int) x.size(3));
    check(x, "the input", in, n);
    check(dz, "the output gradient", out, n);
    if (dx != null) {
      check(dx, "the input gradient", in, n);
    }
    kernelSpectra(w);
    if (!afterForward || transformed != x) {
      inputSpectra(x, n);
    }
    int plane = height * width;
    int kk = kernel * kernel;
    int ny = fft.ny;
    int nx = fft.nx;
    double scale = 1.0 / size;
    forChunks(chunk -> {
      Worker wk = workers[chunk.worker];
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < in; c++) {
          zero(qRe[(chunk.index * n + i) * in + c]);
          zero(qIm[(chunk.index * n + i) * in + c]);
        }
      }
      // Pair by pair (its kernel and ∂W spectra stay in cache over the patches), patches in order.
      for (int pair = chunk.first; pair < chunk.last; pair++) {
        for (int c = 0; c < in; c++) {
          zero(wk.gRe[c]);
          zero(wk.gIm[c]);
        }
        int a = 2 * pair;
        int b = a + 1;
        for (int i = 0; i < n; i++) {
          readPlane(dz, ((long) i * out + a) * plane, wk.re, wk);
          if (b < out) {
            readPlane(dz, ((long) i * out + b) * plane, wk.im, wk);
          } else {
            zero(wk.im);
          }
          fft.forward(wk.re, wk.im, wk.sRe, wk.sIm, wk.work);
          int q0 = (chunk.index * n + i) * in;
          for (int c = 0; c < in; c++) {
            backwardProducts(wk.sRe, wk.sIm, uRe[pair * in + c], uIm[pair * in + c], xRe[i * in + c],
                xIm[i * in + c], qRe[q0 + c], qIm[q0 + c], wk.gRe[c], wk.gIm[c]);
          }
        }
        // ∂W of the pair: the lags d ∈ [−k/2, k/2]² of the inverse (real part channel a, −imaginary part b).
        for (int c = 0; c < in; c++) {
          fft.inverse(wk.gRe[c], wk.gIm[c], wk.re, wk.im, wk.work);
          for (int i = 0; i < kernel; i++) {
            double[] re = wk.re[Math.floorMod(i - pad, ny)];
            double[] im = wk.im[Math.floorMod(i - pad, ny)];
            for (int j = 0; j < kernel; j++) {
              int at = Math.floorMod(j - pad, nx);
              int tap = c * kk + i * kernel + j;
              dWeights[a * in * kk + tap] = scale * re[at];
              if (b < out) {
                dWeights[b * in * kk + tap] = -scale * im[at];
              }
            }
          }
        }
      }
    });
    if (dW.dataType() != type || dW.length() != dWeights.length || !NdBuffers.dense(dW)) {
      throw new IllegalArgumentException("the weight gradient must be dense, of " + type + " and "
          + dWeights.length + " values, got " + java.util.Arrays.toString(dW.shape()));
    }
    if (staged instanceof float[] f) {
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) dWeights[i];
      }
    } else {
      System.arraycopy(dWeights, 0, (double[]) staged, 0, dWeights.length);
    }
    Staging.runs(dW, 1).copy(staged, 0, 0, dWeights.length);
    if (dx == null) {
      return;
    }
    // ∂x: the chunks' partial spectra summed in chunk order, then one inverse per patch and channel.
    Staging.Runs runs = Staging.runs(dx, 1);
    int threads = PatchWorkers.workers(n);
    PatchWorkers.run(threads, t -> {
      Worker wk = workers[t];
      for (int i = t; i < n; i += threads) {
        for (int c = 0; c < in; c++) {
          copy(qRe[i * in + c], wk.sRe);
          copy(qIm[i * in + c], wk.sIm);
          for (int k = 1; k < chunks; k++) {
            add(qRe[(k * n + i) * in + c], wk.sRe);
            add(qIm[(k * n + i) * in + c], wk.sIm);
          }
          fft.inverse(wk.sRe, wk.sIm, wk.re, wk.im, wk.work);
          writePlane(runs, ((long) i * in + c) * plane, wk.re, scale, wk);
        }
      }
    });
  }
  /** {@code c += conj(u)·x} element-wise, row by row (loops from zero over whole rows, which the JIT vectorises). */
  private static void conjugateProductAdd(double[][] ur, double[][] ui, double[][] xr, double[][] xi, double[][] cr,
      double[][] ci) {
    for (int row = 0; row < cr.length; row++) {
      conjugateProductAdd(ur[row], ui[row], xr[row], xi[row], cr[row], ci[row]);
    }
  }

  private static void conjugateProductAdd(double[] ur, double[] ui, double[] xr, double[] xi, double[] cr,
      double[] ci) {
    for (int f = 0; f < cr.length; f++) {
      cr[f] += ur[f] * xr[f] + ui[f] * xi[f];
      ci[f] += ur[f] * xi[f] - ui[f] * xr[f];
    }
  }

  /**
   * {@code q += u·ĉ} (∂x) and {@code g += conj(ĉ)·x̂} (∂W), element-wise, as two loops: one loop of both is not
   * vectorised.
   */
  private static void backwardProducts(double[][] cr, double[][] ci, double[][] ur, double[][] ui, double[][] xr,
      double[][] xi, double[][] qr, double[][] qi, double[][] gr, double[][] gi) {
    for (int row = 0; row < cr.length; row++) {
      productAdd(ur[row], ui[row], cr[row], ci[row], qr[row], qi[row]);
      conjugateProductAdd(cr[row], ci[row], xr[row], xi[row], gr[row], gi[row]);
    }
  }

  /** {@code c += u·x} element-wise. */
  private static void productAdd(double[] ur, double[] ui, double[] xr, double[] xi, double[] cr, double[] ci) {
    for (int f = 0; f < cr.length; f++) {
      cr[f] += ur[f] * xr[f] - ui[f] * xi[f];
      ci[f] += ur[f] * xi[f] + ui[f] * xr[f];
    }
  }

  private static void add(double[][] from, double[][] to) {
    for (int row = 0; row < to.length; row++) {
      double[] a = from[row];
      double[] b = to[row];
      for (int f = 0; f < b.length; f++) {
        b[f] += a[f];
      }
    }
  }

  private static void copy(double[][] from, double[][] to) {
    for (int row = 0; row < to.length; row++) {
      System.arraycopy(from[row], 0, to[row], 0, to[row].length);
    }
  }
}
