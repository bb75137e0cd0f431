package org.eelsunmix.autoencoder;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The layer of a {@link FusedConvolution}: DL4J's convolution layer whose forward and backward passes run a
 * {@link ConvolutionKernel} on the whole batch ({@link WinogradConvolution} for 3×3 kernels,
 * {@link ShiftedConvolution} for other kernels of 3 up to
 * {@link #FFT_KERNEL}, {@link FftConvolution} for bias-free kernels of {@link #FFT_KERNEL} or more,
 * {@link PointwiseConvolution} for 1×1 kernels, {@link SameConvolution} otherwise) ({@code a = f(conv(x, W) + b)}, then {@code ∂z = f'(z) ⊙ ∂a},
 * ∂W, ∂b and ∂x; a LeakyReLU activation in Java over the workers, {@link LeakyRelu}, DL4J's bits). The
 * pre-activation of the last training forward pass is kept (in a buffer of its own, outside
 * DL4J's workspaces) so the backward pass does not convolve again, and the kernel reuses the input it transformed
 * ({@link ConvolutionKernel#backwardAfterForward}); the first layer of a network computes no ∂x.
 * Weight noise is not supported. One instance per network (not thread-safe), as for every DL4J layer.
 */
public class FusedConvolutionLayer extends org.deeplearning4j.nn.layers.convolution.ConvolutionLayer {
  private static final long serialVersionUID = 1L;
  /**
   * Smallest kernel side computed by FFT ({@link FftConvolution}, bias-free layers: CNNAEU's decoder): per output
   * value and pass the direct product costs {@code 2·C·k²}, the FFT route a few dozen operations per channel.
   */
  static final int FFT_KERNEL = 5;
  /** Whether layers made from now on may use {@link FftConvolution} (tests compare with the GEMM path). */
  private static volatile boolean fftAllowed = true;
  /** Whether layers made from now on may use {@link ShiftedConvolution} (tests compare with im2col). */
  private static volatile boolean shiftedAllowed = true;
  /** Whether layers made from now on compute 3×3 kernels by {@link WinogradConvolution} (tests compare paths). */
  private static volatile boolean winogradAllowed = true;
  /** Whether layers made from now on compute 1×1 kernels by {@link PointwiseConvolution} (tests compare paths). */
  private static volatile boolean pointwiseAllowed = true;
  /** Whether layers made from now on may compute LeakyReLU in Java ({@link LeakyRelu}; tests compare with DL4J's). */
  private static volatile boolean javaActivationAllowed = true;
  private final boolean javaActivation = javaActivationAllowed;
  private transient LeakyRelu leaky;
  private transient ConvolutionKernel kernel;
  /** Pre-activation of the last training pass, and the input it was computed from. */
  private transient INDArray z;
  private transient INDArray zInput;
  /** The input of the kernel's last forward pass (training or not). */
  private transient INDArray convolved;
  /** Where the next training batch's patches lie ({@link #placePatches}), or null: patch by patch. */
  private transient PatchCanvas.Placement placement;
  private transient CanvasConvolution canvas;
  /** Whether the last forward pass ran on the canvas. */
  private transient boolean onCanvas;

  public FusedConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  private ConvolutionKernel kernel() {
    if (kernel == null) {
      org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
      int[] k = c.getKernelSize();
      boolean supported = k[0] == k[1] && k[0] % 2 == 1 && Arrays.equals(c.getStride(), new int[] {1, 1})
          && Arrays.equals(c.getDilation(), new int[] {1, 1}) && c.getConvolutionMode() == ConvolutionMode.Same
          && c.getCnn2dDataFormat() == CNN2DFormat.NCHW && c.getWeightNoise() == null;
      if (!supported) {
        throw new IllegalStateException(layerId() + ": the fused convolution takes square odd kernels, stride 1, no "
            + "dilation, ConvolutionMode.Same, NCHW and no weight noise; got kernel " + Arrays.toString(k)
            + ", stride " + Arrays.toString(c.getStride()) + ", mode " + c.getConvolutionMode());
      }
      int in = (int) c.getNIn();
      int out = (int) c.getNOut();
      if (fftAllowed && k[0] >= FFT_KERNEL && !c.hasBias()) {
        kernel = new FftConvolution(in, out, k[0]);
      } else if (winogradAllowed && k[0] == 3) {
        kernel = new WinogradConvolution(in, out, k[0]);
      } else if (pointwiseAllowed && k[0] == 1) {
        kernel = new PointwiseConvolution(in, out);
      } else if (shiftedAllowed && k[0] > 1 && k[0] < FFT_KERNEL) {
        kernel = new ShiftedConvolution(in, out, k[0]);
      } else {
        kernel = new SameConvolution(in, out, k[0]);
      }
    }
    return kernel;
  }

  /** The kernel this layer computes with (tests). */
  ConvolutionKernel kernelInUse() {
    return kernel();
  }

  /**
   * Lets layers that compute their first pass from now on use {@link FftConvolution} or not ({@link SameConvolution}
   * for every kernel, the path before it); returns the previous setting. For tests comparing the two.
   */
  static boolean allowFft(boolean allowed) {
    boolean previous = fftAllowed;
    fftAllowed = allowed;
    return previous;
  }

  /**
   * Lets layers that compute their first pass from now on use {@link ShiftedConvolution} for small kernels
   * ({@code 1 < k <} {@link #FFT_KERNEL}: the encoder's 3×3) or not ({@link SameConvolution}, im2col, the path before
   * it); returns the previous setting. For tests and measurements comparing the two.
   */
  static boolean allowShifted(boolean allowed) {
    boolean previous = shiftedAllowed;
    shiftedAllowed = allowed;
    return previous;
  }

  /**
   * Lets layers that compute their first pass from now on use {@link WinogradConvolution} for 3×3 kernels (the
   * encoder's) or not ({@link ShiftedConvolution}, the path before it); returns the previous setting. For tests and
   * measurements comparing the two, and for reproducing results trained before it (equal to float rounding).
   */
  static boolean allowWinograd(boolean allowed) {
    boolean previous = winogradAllowed;
    winogradAllowed = allowed;
    return previous;
  }

  /**
   * Lets layers that compute their first pass from now on use {@link PointwiseConvolution} for 1×1 kernels (CNNAEU's
   * filters → R layer) or not ({@link SameConvolution}, the path before it); returns the previous setting. For tests
   * and measurements comparing the two.
   */
  static boolean allowPointwise(boolean allowed) {
    boolean previous = pointwiseAllowed;
    pointwiseAllowed = allowed;
    return previous;
  }

  /**
   * Lets layers made from now on compute LeakyReLU in Java ({@link LeakyRelu}) or by DL4J's activation (the path
   * before it, same bits); returns the previous setting. For tests and measurements comparing the two.
   */
  static boolean allowJavaActivation(boolean allowed) {
    boolean previous = javaActivationAllowed;
    javaActivationAllowed = allowed;
    return previous;
  }

  private INDArray denseInput(LayerWorkspaceMgr mgr) {
    if (input.rank() != 4 || input.size(1) != layerConf().getNIn()) {
      throw new IllegalArgumentException(layerId() + " expects [n, " + layerConf().getNIn() + ", h, w] input, got "
          + Arrays.toString(input.shape()));
    }
    return NdBuffers.dense(input) ? input : mgr.dup(ArrayType.ACTIVATIONS, input, 'c');
  }

  private boolean identity() {
    return layerConf().getActivationFn() instanceof ActivationIdentity;
  }

  /**
   * Tells the first layer where the patches of the batch it trains on next lie on their canvas
   * ({@link PatchCanvas}): its convolution then runs once over the canvas ({@link CanvasConvolution}), the same
   * values to rounding; null (after the step) goes back to patch by patch. Ignored by any other layer, and by a
   * batch of another shape.
   */
  void placePatches(PatchCanvas.Placement p) {
    placement = p;
  }

  /** Whether {@code x} is the placed batch and this layer can take it on the canvas (first layer: no ∂x). */
  private boolean canvasFor(INDArray x) {
    return fitsCanvas(x, placement);
  }

  private boolean fitsCanvas(INDArray x, PatchCanvas.Placement p) {
    return p != null && getIndex() == 0 && x.size(0) == p.count() && x.size(2) == p.side()
        && x.size(3) == p.side();
  }

  /**
   * Whether a step on {@code x} placed by {@code p} reads the batch only from {@code p}'s values (a float array holding
   * all of {@code x}'s values), never from {@code x}: the training loop may then leave {@code x} unwritten.
   */
  boolean readsOnlyPlacedValues(INDArray x, PatchCanvas.Placement p) {
    return fitsCanvas(x, p) && x.dataType() == DataType.FLOAT && p.values() instanceof float[] v
        && v.length >= x.length();
  }

  private CanvasConvolution canvas() {
    if (canvas == null) {
      org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
      canvas = new CanvasConvolution((int) c.getNIn(), (int) c.getNOut(), c.getKernelSize()[0]);
    }
    return canvas;
  }

  /** Convolves {@code x} into {@code out} ([n, O, h, w], dense). */
  private void convolve(INDArray x, INDArray out) {
    INDArray bias = layerConf().hasBias() ? getParam(ConvolutionParamInitializer.BIAS_KEY) : null;
    onCanvas = canvasFor(x);
    if (onCanvas) {
      canvas().forward(kernel(), x, getParam(ConvolutionParamInitializer.WEIGHT_KEY), bias, out, placement);
    } else {
      kernel().forward(x, getParam(ConvolutionParamInitializer.WEIGHT_KEY), bias, out);
    }
    convolved = input;
  }

  private long[] outShape(INDArray x) {
    return new long[] {x.size(0), layerConf().getNOut(), x.size(2), x.size(3)};
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    applyDropOutIfNecessary(training, workspaceMgr);
    INDArray x = denseInput(workspaceMgr);
    INDArray a = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, outShape(x), 'c');
    zInput = null;
    if (identity()) {
      convolve(x, a);
      return a;
    }
    LeakyRelu leaky = leakyRelu();
    if (training) {
      // Keep the pre-activation for the backward pass.
      if (z == null || !Arrays.equals(z.shape(), a.shape()) || z.dataType() != a.dataType()) {
        try (MemoryWorkspace none = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
          z = Nd4j.createUninitialized(a.dataType(), a.shape(), 'c');
        }
      }
      convolve(x, z);
      zInput = input;
      if (leaky != null) {
        leaky.forward(z, a);
        return a;
      }
      a.assign(z);
    } else {
      convolve(x, a);
      if (leaky != null) {
        leaky.forward(a, a);
        return a;
      }
    }
    return layerConf().getActivationFn().getActivation(a, training);
  }

  /**
   * The layer's LeakyReLU in Java ({@link LeakyRelu}, DL4J's bits, over the workers) when its activation is DL4J's
   * {@code ActivationLReLU} on FLOAT or DOUBLE and {@link #allowJavaActivation} let it; null otherwise (DL4J's).
   */
  private LeakyRelu leakyRelu() {
    if (leaky == null && javaActivation && layerConf().getActivationFn() instanceof ActivationLReLU f
        && (dataType == DataType.FLOAT || dataType == DataType.DOUBLE)) {
      leaky = new LeakyRelu(f.getAlpha());
    }
    return leaky;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    INDArray x = denseInput(workspaceMgr);
    INDArray delta;
    if (identity()) {
      delta = epsilon;
    } else {
      INDArray pre = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, outShape(x), 'c');
      boolean kept = zInput == input && z != null && Arrays.equals(z.shape(), pre.shape());
      LeakyRelu leaky = leakyRelu();
      if (leaky != null) {
        if (!kept) {
          convolve(x, pre);
        }
        INDArray e = NdBuffers.dense(epsilon) ? epsilon : workspaceMgr.dup(ArrayType.BP_WORKING_MEM, epsilon, 'c');
        // ∂z written over pre (each value read before it is written, patch by patch).
        leaky.backward(kept ? z : pre, e, pre);
        delta = pre;
      } else {
        if (kept) {
          pre.assign(z);
        } else {
          convolve(x, pre);
        }
        IActivation f = layerConf().getActivationFn();
        delta = f.backprop(pre, epsilon).getFirst();
      }
    }
    if (!NdBuffers.dense(delta)) {
      delta = workspaceMgr.dup(ArrayType.BP_WORKING_MEM, delta, 'c');
    }
    boolean first = getIndex() == 0;
    INDArray dx = first ? null
        : workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
    INDArray weightGradient = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
    INDArray biasGradient = layerConf().hasBias() ? gradientViews.get(ConvolutionParamInitializer.BIAS_KEY) : null;
    // A training step convolved this very input just before (DL4J runs forward then backward on one batch): the
    // kernel may reuse what it derived from it (ShiftedConvolution's padded copy, FftConvolution's spectra).
    if (dx == null && canvasFor(x)) {
      canvas().backward(kernel(), x, getParam(ConvolutionParamInitializer.WEIGHT_KEY), delta, weightGradient,
          biasGradient, placement, convolved == input && onCanvas);
    } else if (convolved == input && !onCanvas) {
      kernel().backwardAfterForward(x, getParam(ConvolutionParamInitializer.WEIGHT_KEY), delta, weightGradient,
          biasGradient, dx);
    } else {
      kernel().backward(x, getParam(ConvolutionParamInitializer.WEIGHT_KEY), delta, weightGradient, biasGradient,
          dx);
    }
    Gradient g = new DefaultGradient();
    if (biasGradient != null) {
      g.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGradient);
    }
    g.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGradient, 'c');
    // Through the dropout applied to the input in the forward pass (CNNAEU's 1×1 convolution has one).
    return new Pair<>(g, dx == null ? null : backpropDropOutIfPresent(dx));
  }
}
