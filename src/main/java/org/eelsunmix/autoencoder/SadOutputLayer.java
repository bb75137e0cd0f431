package org.eelsunmix.autoencoder;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.CnnLossLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The layer of a {@link SadOutput}: the summed spectral angle of a batch of NCHW reconstructions ({@code input},
 * {@code [n, B, h, w]}) against the spectra ({@code labels}, same shape), and its gradient
 * {@code ∂θ/∂ŷ = α y + β ŷ} per pixel ({@link SpectralAngleLoss#ofSums}, {@link SpectralAngleLoss#onY},
 * {@link SpectralAngleLoss#onH}), computed straight from the 4D arrays: per patch, one pass over the channel rows
 * accumulates each pixel's {@code yᵀŷ}, {@code ‖y‖²}, {@code ‖ŷ‖²} in double (channel order, as
 * {@link SadLossFunction} does, so the angles and the gradient are bit for bit those of DL4J's
 * {@code CnnLossLayer} with it), a second writes the gradient rows. Rows travel through small reused buffers: no
 * {@code [pixels, channels]} copies and no allocation per call; a float network's rows are widened to double value by
 * value inside the summing and gradient loops (a copy of each row into double arrays first was a third of the
 * layer's time on k-edges, {@code SadOutputTiming}). Patches are spread over the {@link PatchWorkers}
 * threads; each patch is computed alone and the angles summed afterwards in pixel order, so the results do not
 * depend on the thread count.
 *
 * <p>As DL4J's layer: the score is the sum of the (mask-weighted) angles divided by the batch size, the gradient that
 * of the sum; a mask is one value per example ({@code [n, 1]}) or per pixel ({@code [n, 1, h, w]}). DL4J computes
 * the gradient and then the score of the same arrays: the score reuses the angles of that backward pass when the
 * input, labels and mask are the same arrays (the arrays must not be modified in place in between). One instance per
 * network (not thread-safe).
 */
public class SadOutputLayer extends CnnLossLayer {
  private static final long serialVersionUID = 1L;
  /**
   * A float network's row loops on the Vector API ({@link SadRowsVector}, same bits): k-edges' backward pass and
   * score 97 → 78 ms of one thread's CPU ({@code SadOutputTiming 903}). Blocks of 512 or 800 pixels, to keep the
   * three sums in the first-level cache while every channel row passes, were slower (99–108 ms): four times the row
   * reads, each a 903-row stride through the patch.
   */
  private static final boolean VECTOR = org.eelsunmix.linalg.VectorApi.ENABLED && SadRowsVector.usable();
  /** Per-worker row buffers and per-pixel sums. */
  private transient Rows[] rows = new Rows[0];
  /** Weighted angle of every pixel of the batch, {@code i·h·w + pixel}. */
  private transient double[] angles = new double[0];
  /** Mask weight of every pixel (1 without a mask). */
  private transient double[] weights = new double[0];
  /** The arrays the last backward pass read, and its summed angle, for the score that follows it. */
  private transient INDArray summedInput;
  private transient INDArray summedLabels;
  private transient INDArray summedMask;
  private transient double summed;
  /**
   * The labels' values as the training loop wrote them ({@code [n, B, h, w]} floats, {@link #labelsFrom}), read in
   * place instead of from the labels array, or null.
   */
  private transient float[] heapLabels;

  public SadOutputLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    INDArray yHat = checked(workspaceMgr, ArrayType.BP_WORKING_MEM);
    INDArray y = NdBuffers.dense(labels) ? labels : workspaceMgr.dup(ArrayType.BP_WORKING_MEM, labels, 'c');
    INDArray delta = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(),
        'c');
    summed = pass(y, yHat, workspaceMgr, delta);
    summedInput = input;
    summedLabels = labels;
    summedMask = maskArray;
    return new Pair<>(new DefaultGradient(), delta);
  }

  @Override
  public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
    double sum;
    if (summedInput != null && summedInput == input && summedLabels == labels && summedMask == maskArray) {
      sum = summed;
    } else {
      sum = anglesOnly(workspaceMgr);
    }
    summedInput = null;
    score = sum / getInputMiniBatchSize() + fullNetRegTerm;
    return score;
  }

  @Override
  public INDArray computeScoreForExamples(double fullNetRegTerm, LayerWorkspaceMgr workspaceMgr) {
    anglesOnly(workspaceMgr);
    int n = (int) input.size(0);
    int plane = (int) (input.size(2) * input.size(3));
    double[] perExample = new double[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int p = 0; p < plane; p++) {
        s += angles[i * plane + p];
      }
      perExample[i] = s + fullNetRegTerm;
    }
    INDArray out = workspaceMgr.create(ArrayType.ACTIVATIONS, input.dataType(), n, 1);
    NdBuffers.write(perExample, out);
    return out;
  }

  private double anglesOnly(LayerWorkspaceMgr workspaceMgr) {
    if (input == null || labels == null) {
      throw new IllegalStateException(layerId() + ": the SAD score needs input and labels");
    }
    INDArray yHat = checked(workspaceMgr, ArrayType.FF_WORKING_MEM);
    INDArray y = NdBuffers.dense(labels) ? labels : workspaceMgr.dup(ArrayType.FF_WORKING_MEM, labels, 'c');
    return pass(y, yHat, workspaceMgr, null);
  }

  /**
   * For the training step about to run (null after it): the labels' values are {@code values}, the batch as the
   * training loop laid it out ({@code [n, B, h, w]}, the labels array's own order), which the loss then reads in place;
   * the labels array is not read, so the loop need not copy the batch into it. Float networks only.
   */
  void labelsFrom(float[] values) {
    heapLabels = values;
  }

  /** The input, dense; refuses shapes and configurations this layer does not compute. */
  private INDArray checked(LayerWorkspaceMgr workspaceMgr, ArrayType type) {
    if (labels == null) {
      throw new IllegalStateException(layerId() + ": labels are not set");
    }
    if (input.rank() != 4 || !Arrays.equals(input.shape(), labels.shape())) {
      throw new IllegalArgumentException(layerId() + ": the SAD loss needs [n, channels, h, w] input and labels of "
          + "one shape, got " + Arrays.toString(input.shape()) + " and " + Arrays.toString(labels.shape()));
    }
    if (!(layerConf().getActivationFn() instanceof ActivationIdentity)) {
      throw new IllegalStateException(layerId() + ": the SAD output layer takes the identity activation, got "
          + layerConf().getActivationFn());
    }
    if (input.dataType() != labels.dataType()) {
      throw new IllegalArgumentException(layerId() + ": input " + input.dataType() + " but labels "
          + labels.dataType());
    }
    return NdBuffers.dense(input) ? input : workspaceMgr.dup(type, input, 'c');
  }

  /**
   * Fills {@link #angles} with every pixel's weighted angle and, when {@code delta != null}, writes ∂(Σ weighted
   * angles)/∂ŷ into it; returns the sum of the angles in pixel order.
   */
  private double pass(INDArray y, INDArray yHat, LayerWorkspaceMgr workspaceMgr, INDArray delta) {
    int n = (int) yHat.size(0);
    int b = (int) yHat.size(1);
    int plane = (int) (yHat.size(2) * yHat.size(3));
    int pixels = n * plane;
    float[] heap = heapLabels;
    if (heap != null && (y.dataType() != DataType.FLOAT || heap.length < (long) pixels * b)) {
      throw new IllegalStateException(layerId() + ": the labels' values set for this step are not this batch's");
    }
    int workers = PatchWorkers.workers(n);
    prepare(pixels, plane, workers);
    readMask(workspaceMgr, pixels);
    PatchWorkers.run(workers, t -> {
      Rows r = rows[t];
      r.bind(y, yHat, delta, heap);
      for (int i = t; i < n; i += workers) {
        patch(r, i, b, plane, delta != null);
      }
    });
    double sum = 0;
    for (int k = 0; k < pixels; k++) {
      sum += angles[k];
    }
    return sum;
  }

  private void prepare(int pixels, int plane, int workers) {
    if (angles.length < pixels) {
      angles = new double[pixels];
      weights = new double[pixels];
    }
    if (rows.length < workers || rows[0].plane != plane) {
      rows = new Rows[Math.max(workers, rows.length)];
      for (int t = 0; t < rows.length; t++) {
        rows[t] = new Rows(plane);
      }
    }
  }

  /** The mask as one weight per pixel, as DL4J's layer hands it to the loss function ({@code [pixels, 1]}). */
  private void readMask(LayerWorkspaceMgr workspaceMgr, int pixels) {
    if (maskArray == null) {
      Arrays.fill(weights, 0, pixels, 1.0);
      return;
    }
    INDArray m = ConvolutionUtils.reshapeMaskIfRequired(maskArray, input, CNN2DFormat.NCHW, workspaceMgr,
        ArrayType.FF_WORKING_MEM);
    if (m.length() != pixels) {
      throw new IllegalArgumentException(layerId() + ": the SAD loss takes one mask value per example or pixel, got "
          + "mask shape " + Arrays.toString(maskArray.shape()));
    }
    NdBuffers.read(m, weights);
  }

  /** Patch {@code i}: its pixels' sums, angles and, with {@code gradient}, its gradient rows. */
  private void patch(Rows r, int i, int b, int plane, boolean gradient) {
    long base = (long) i * b * plane;
    Arrays.fill(r.dot, 0.0);
    Arrays.fill(r.yy, 0.0);
    Arrays.fill(r.hh, 0.0);
    for (int c = 0; c < b; c++) {
      long at = base + (long) c * plane;
      if (r.hBuffer != null) { // float rows widened value by value: the same double sums, no double row copies
        r.hBuffer.get((int) (r.hOffset + at), r.hFloats, 0, plane);
        sums(r.yRow(at), r.yFrom(at), r.hFloats, r.dot, r.yy, r.hh, plane);
        continue;
      }
      r.yDouble.get((int) (r.yOffset + at), r.y, 0, plane);
      r.hDouble.get((int) (r.hOffset + at), r.h, 0, plane);
      for (int p = 0; p < plane; p++) {
        double a = r.y[p];
        double e = r.h[p];
        r.dot[p] += a * e;
        r.yy[p] += a * a;
        r.hh[p] += e * e;
      }
    }
    int zeros = 0;
    for (int p = 0; p < plane; p++) {
      double w = weights[i * plane + p];
      double dot = r.dot[p];
      double yy = r.yy[p];
      double hh = r.hh[p];
      angles[i * plane + p] = w * SpectralAngleLoss.ofSums(dot, yy, hh);
      if (gradient) {
        if (yy == 0 || hh == 0) {
          r.alpha[p] = 0;
          r.beta[p] = 0;
          r.zero[zeros++] = p;
        } else {
          r.alpha[p] = SpectralAngleLoss.onY(dot, yy, hh, w);
          r.beta[p] = SpectralAngleLoss.onH(dot, yy, hh, w);
        }
      }
    }
    if (!gradient) {
      return;
    }
    for (int c = 0; c < b; c++) {
      long at = base + (long) c * plane;
      if (r.hBuffer != null) { // α·y + β·ŷ in double, rounded to float, straight from and to the float rows
        r.hBuffer.get((int) (r.hOffset + at), r.hFloats, 0, plane);
        gradientRow(r.alpha, r.beta, r.yRow(at), r.yFrom(at), r.hFloats, plane);
        for (int z = 0; z < zeros; z++) {
          r.hFloats[r.zero[z]] = 0f;
        }
        r.dBuffer.put((int) (r.dOffset + at), r.hFloats, 0, plane);
        continue;
      }
      r.yDouble.get((int) (r.yOffset + at), r.y, 0, plane);
      r.hDouble.get((int) (r.hOffset + at), r.h, 0, plane);
      for (int p = 0; p < plane; p++) {
        r.g[p] = r.alpha[p] * r.y[p] + r.beta[p] * r.h[p];
      }
      // A zero spectrum's gradient is +0, whatever the signs in α·y + β·ŷ.
      for (int z = 0; z < zeros; z++) {
        r.g[r.zero[z]] = 0.0;
      }
      r.dDouble.put((int) (r.dOffset + at), r.g, 0, plane);
    }
  }

  /** {@code dot += y·ŷ}, {@code yy += y·y}, {@code hh += ŷ·ŷ} per pixel, in double from float rows (y from yFrom). */
  private static void sums(float[] y, int yFrom, float[] h, double[] dot, double[] yy, double[] hh, int plane) {
    for (int p = VECTOR ? SadRowsVector.sums(y, yFrom, h, dot, yy, hh, plane) : 0; p < plane; p++) {
      double a = y[yFrom + p];
      double e = h[p];
      dot[p] += a * e;
      yy[p] += a * a;
      hh[p] += e * e;
    }
  }

  /** {@code h ← (float) (α·y + β·h)} per pixel, in double (y from yFrom). */
  private static void gradientRow(double[] alpha, double[] beta, float[] y, int yFrom, float[] h, int plane) {
    for (int p = VECTOR ? SadRowsVector.gradient(alpha, beta, y, yFrom, h, plane) : 0; p < plane; p++) {
      h[p] = (float) (alpha[p] * y[yFrom + p] + beta[p] * h[p]);
    }
  }

  /** One worker's buffers: a channel row of y, ŷ and the gradient, and per-pixel sums and coefficients. */
  private static final class Rows {
    final int plane;
    final double[] y;
    final double[] h;
    final double[] g;
    final float[] yFloats;
    final float[] hFloats;
    final double[] dot;
    final double[] yy;
    final double[] hh;
    final double[] alpha;
    final double[] beta;
    final int[] zero;
    FloatBuffer yBuffer;
    FloatBuffer hBuffer;
    FloatBuffer dBuffer;
    DoubleBuffer yDouble;
    DoubleBuffer hDouble;
    DoubleBuffer dDouble;
    long yOffset;
    long hOffset;
    long dOffset;
    /** The labels' values in place ({@link #labelsFrom}), or null: rows copied from {@link #yBuffer}. */
    float[] yHeap;

    Rows(int plane) {
      this.plane = plane;
      y = new double[plane];
      h = new double[plane];
      g = new double[plane];
      yFloats = new float[plane];
      hFloats = new float[plane];
      dot = new double[plane];
      yy = new double[plane];
      hh = new double[plane];
      alpha = new double[plane];
      beta = new double[plane];
      zero = new int[plane];
    }

    /**
     * A float network's label row at {@code at} (offset in the batch): the batch's own array, or the row copied from
     * the labels' buffer into {@link #yFloats}; read from {@link #yFrom}.
     */
    float[] yRow(long at) {
      if (yHeap != null) {
        return yHeap;
      }
      yBuffer.get((int) (yOffset + at), yFloats, 0, plane);
      return yFloats;
    }

    int yFrom(long at) {
      return yHeap != null ? (int) at : 0;
    }

    /**
     * Views of the three arrays' buffers for this pass ({@code delta} may be null); {@code heap}: the labels' values
     * in place, or null.
     */
    void bind(INDArray labels, INDArray output, INDArray delta, float[] heap) {
      yHeap = heap;
      boolean f = labels.dataType() == DataType.FLOAT;
      if (!f && labels.dataType() != DataType.DOUBLE) {
        throw new IllegalArgumentException("the SAD output layer computes FLOAT or DOUBLE arrays, got "
            + labels.dataType());
      }
      yBuffer = f ? labels.data().asNioFloat() : null;
      hBuffer = f ? output.data().asNioFloat() : null;
      dBuffer = f && delta != null ? delta.data().asNioFloat() : null;
      yDouble = f ? null : labels.data().asNioDouble();
      hDouble = f ? null : output.data().asNioDouble();
      dDouble = f || delta == null ? null : delta.data().asNioDouble();
      yOffset = labels.offset();
      hOffset = output.offset();
      dOffset = delta == null ? 0 : delta.offset();
    }
  }
}
