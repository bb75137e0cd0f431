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
 * summed in chunk order, so the results do not depend on the thread count, bit for bit. Arithmetic in the
 * network's type ({@link SpectrumRows}): a float network's transforms and products in float on the Vector API (its
 * results differ from the direct sums in double by float rounding, at most 3.1e-7 of the largest value on the shapes
 * of {@code FftConvolutionTest}), a double network's in double; weights and ∂W are converted through double. Buffers
 * are allocated once per batch shape and type.
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
  /** The buffers and loops of the current batch shape and type; null before the first call. */
  private Engine<?> engine;

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

  /** The engine for this batch's type and patch shape, made anew when either changes; grown to {@code patches}. */
  private Engine<?> fit(DataType t, int patches, int h, int w) {
    if (engine == null || t != engine.type || h != engine.height || w != engine.width) {
      engine = new Engine<>(SpectrumRows.of(t), t, h, w);
    }
    engine.grow(patches);
    return engine;
  }

  @Override
  public void forward(INDArray x, INDArray w, INDArray bias, INDArray z) {
    if (bias != null) {
      throw new IllegalArgumentException("the FFT convolution has no bias");
    }
    int n = (int) x.size(0);
    Engine<?> e = fit(x.dataType(), n, (int) x.size(2), (int) x.size(3));
    e.check(x, "the input", in, n);
    e.check(z, "the output", out, n);
    e.forward(x, w, z, n);
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
    Engine<?> e = fit(x.dataType(), n, (int) x.size(2), (int) x.size(3));
    e.check(x, "the input", in, n);
    e.check(dz, "the output gradient", out, n);
    if (dx != null) {
      e.check(dx, "the input gradient", in, n);
    }
    e.backward(x, w, dz, dW, dx, n, afterForward);
  }

  /**
   * The transforms, products and buffers for one patch shape and element type.
   *
   * @param <A> one row: {@code double[]} or {@code float[]}
   */
  private final class Engine<A> {
    final SpectrumRows<A> ops;
    final DataType type;
    final int height;
    final int width;
    final Fft2d<A> fft;
    final int size;
    /**
     * The image columns of the kernel's taps, {@code (j − k/2) mod nx}: the kernel transforms (its spectra, ∂W) run on
     * these {@code k} columns only ({@link Fft2d#forwardColumns}, {@link Fft2d#inverseColumns}).
     */
    final int[] tapColumns;
    private int capacity;
    /**
     * Input spectra, {@code [n·C]}, each {@code [kx][ky]}. Every row is an array of its own: the loops vectorise
     * only when they index from zero.
     */
    private A[][] xRe;
    private A[][] xIm;
    /** Kernel spectra of the pairs, {@code [pairs·C]}, for {@link #seen} weights. */
    private final A[][] uRe;
    private final A[][] uIm;
    private final double[] seen;
    private boolean valid;
    /** Per chunk, patch and input channel: the partial ∂x spectra, {@code [chunks·n·C]}. */
    private A[][] qRe;
    private A[][] qIm;
    /** The weights as doubles, and the weight gradient being assembled, {@code [O][C][k][k]}. */
    private final double[] weights;
    private final double[] dWeights;
    /** The weights and their gradient in the network's type. */
    private final Object staged;
    private Worker[] workers;
    /** The array whose spectra {@link #xRe} holds (the last {@link #inputSpectra}), or null. */
    private INDArray transformed;

    /** Buffers of one worker thread. */
    private final class Worker {
      final Fft2d.Work<A> work = fft.work();
      final A[] re = fft.image();
      final A[] im = fft.image();
      final A[] sRe = fft.spectrum();
      final A[] sIm = fft.spectrum();
      /** ∂W spectra of one pair, {@code [C]}. */
      final A[][] gRe = spectra(in);
      final A[][] gIm = spectra(in);
      /** One plane in the network's type ({@code float[]} or {@code double[]}, as {@code A}). */
      final Object plane = Staging.array(type, height * width);
    }

    Engine(SpectrumRows<A> ops, DataType type, int height, int width) {
      this.ops = ops;
      this.type = type;
      this.height = height;
      this.width = width;
      fft = new Fft2d<>(transformSize(height, kernel), transformSize(width, kernel), ops);
      size = fft.size();
      tapColumns = new int[kernel];
      for (int j = 0; j < kernel; j++) {
        tapColumns[j] = Math.floorMod(j - pad, fft.nx);
      }
      @SuppressWarnings("unchecked")
      Worker[] none = (Worker[]) java.lang.reflect.Array.newInstance(Worker.class, 0);
      workers = none;
      uRe = spectra(pairs * in);
      uIm = spectra(pairs * in);
      weights = new double[out * in * kernel * kernel];
      dWeights = new double[weights.length];
      seen = new double[weights.length];
      staged = Staging.array(type, weights.length);
    }

    /** Enough workers and per-patch buffers for {@code patches}. */
    void grow(int patches) {
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

    void check(INDArray a, String what, long channels, long n) {
      if (a.rank() != 4 || a.size(1) != channels || a.size(0) != n || a.size(2) != height || a.size(3) != width
          || !NdBuffers.dense(a)) {
        throw new IllegalArgumentException(what + " must be a dense C-order [" + n + ", " + channels + ", " + height
            + ", " + width + "] array, got shape " + java.util.Arrays.toString(a.shape()));
      }
    }

    private A[][] spectra(int count) {
      return ops.planes(count, fft.nx, fft.ny);
    }

    /** Reads the {@code h × w} plane at element {@code from} of {@code a} into {@code re} ({@code [y][x]}, zero padded). */
    private void readPlane(INDArray a, long from, A[] re, Worker wk) {
      Staging.read(a, from, wk.plane, height * width);
      ops.readPlane(wk.plane, height, width, re);
    }

    /** Writes {@code scale·src} over the {@code h × w} plane ({@code [y][x]} of the transform) at {@code at} of a. */
    private void writePlane(Staging.Runs runs, long at, A[] src, double scale, Worker wk) {
      ops.writePlane(src, scale, height, width, wk.plane);
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
            ops.zero(wk.im);
            fft.forward(wk.re, wk.im, width, xRe[i * in + c], xIm[i * in + c], wk.work);
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
      int ny = fft.ny;
      forChunks(chunk -> {
        Worker wk = workers[chunk.worker];
        for (int pair = chunk.first; pair < chunk.last; pair++) {
          int a = 2 * pair;
          int b = a + 1;
          for (int c = 0; c < in; c++) {
            ops.zero(wk.re);
            ops.zero(wk.im);
            // The taps' columns packed as columns 0..k−1 (their place in the image is tapColumns).
            for (int i = 0; i < kernel; i++) {
              A re = wk.re[Math.floorMod(i - pad, ny)];
              A im = wk.im[Math.floorMod(i - pad, ny)];
              for (int j = 0; j < kernel; j++) {
                int tap = c * kk + i * kernel + j;
                ops.set(re, j, weights[a * in * kk + tap]);
                ops.set(im, j, b < out ? -weights[b * in * kk + tap] : 0.0);
              }
            }
            fft.forwardColumns(wk.re, wk.im, kernel, tapColumns, uRe[pair * in + c], uIm[pair * in + c], wk.work);
          }
        }
      });
      System.arraycopy(weights, 0, seen, 0, weights.length);
      valid = true;
    }

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

    void forward(INDArray x, INDArray w, INDArray z, int n) {
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
            A[] cr = wk.sRe;
            A[] ci = wk.sIm;
            ops.zero(cr);
            ops.zero(ci);
            for (int c = 0; c < in; c++) {
              ops.conjugateProductAdd(uRe[pair * in + c], uIm[pair * in + c], xRe[i * in + c], xIm[i * in + c], cr,
                  ci);
            }
            fft.inverse(cr, ci, wk.re, wk.im, width, wk.work);
            int a = 2 * pair;
            writePlane(runs, ((long) i * out + a) * plane, wk.re, scale, wk);
            if (a + 1 < out) {
              writePlane(runs, ((long) i * out + a + 1) * plane, wk.im, scale, wk);
            }
          }
        }
      });
    }

    void backward(INDArray x, INDArray w, INDArray dz, INDArray dW, INDArray dx, int n, boolean afterForward) {
      kernelSpectra(w);
      if (!afterForward || transformed != x) {
        inputSpectra(x, n);
      }
      int plane = height * width;
      int kk = kernel * kernel;
      int ny = fft.ny;
      double scale = 1.0 / size;
      forChunks(chunk -> {
        Worker wk = workers[chunk.worker];
        for (int i = 0; i < n; i++) {
          for (int c = 0; c < in; c++) {
            ops.zero(qRe[(chunk.index * n + i) * in + c]);
            ops.zero(qIm[(chunk.index * n + i) * in + c]);
          }
        }
        // Pair by pair (its kernel and ∂W spectra stay in cache over the patches), patches in order.
        for (int pair = chunk.first; pair < chunk.last; pair++) {
          for (int c = 0; c < in; c++) {
            ops.zero(wk.gRe[c]);
            ops.zero(wk.gIm[c]);
          }
          int a = 2 * pair;
          int b = a + 1;
          for (int i = 0; i < n; i++) {
            readPlane(dz, ((long) i * out + a) * plane, wk.re, wk);
            if (b < out) {
              readPlane(dz, ((long) i * out + b) * plane, wk.im, wk);
            } else {
              ops.zero(wk.im);
            }
            fft.forward(wk.re, wk.im, width, wk.sRe, wk.sIm, wk.work);
            int q0 = (chunk.index * n + i) * in;
            for (int c = 0; c < in; c++) {
              ops.backwardProducts(wk.sRe, wk.sIm, uRe[pair * in + c], uIm[pair * in + c], xRe[i * in + c],
                  xIm[i * in + c], qRe[q0 + c], qIm[q0 + c], wk.gRe[c], wk.gIm[c]);
            }
          }
          // ∂W of the pair: the lags d ∈ [−k/2, k/2]² of the inverse (real part channel a, −imaginary part b).
          for (int c = 0; c < in; c++) {
            fft.inverseColumns(wk.gRe[c], wk.gIm[c], wk.re, wk.im, kernel, tapColumns, wk.work);
            for (int i = 0; i < kernel; i++) {
              A re = wk.re[Math.floorMod(i - pad, ny)];
              A im = wk.im[Math.floorMod(i - pad, ny)];
              for (int j = 0; j < kernel; j++) {
                int tap = c * kk + i * kernel + j;
                dWeights[a * in * kk + tap] = scale * ops.get(re, j);
                if (b < out) {
                  dWeights[b * in * kk + tap] = -scale * ops.get(im, j);
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
            ops.copy(qRe[i * in + c], wk.sRe);
            ops.copy(qIm[i * in + c], wk.sIm);
            for (int k = 1; k < chunks; k++) {
              ops.add(qRe[(k * n + i) * in + c], wk.sRe);
              ops.add(qIm[(k * n + i) * in + c], wk.sIm);
            }
            fft.inverse(wk.sRe, wk.sIm, wk.re, wk.im, width, wk.work);
            writePlane(runs, ((long) i * in + c) * plane, wk.re, scale, wk);
          }
        }
      });
    }
  }

  /** A chunk of pairs handed to a worker. */
  private record Chunk(int index, int first, int last, int worker) {}
}
