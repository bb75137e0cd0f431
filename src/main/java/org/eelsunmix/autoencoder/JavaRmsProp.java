package org.eelsunmix.autoencoder;

import java.nio.FloatBuffer;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.RmsPropUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;

/**
 * RMSprop (Tieleman &amp; Hinton, "Lecture 6.5 — RMSprop", COURSERA: Neural Networks for Machine Learning, 2012) as
 * ND4J's {@link RmsProp} defines it, with the per-element update done by a plain Java loop over the float gradient
 * and state instead of ND4J's native op:
 *
 * <pre>s ← ρ s + (1 − ρ) g²        g ← η g / (√s + ε)        (s starts at ε)</pre>
 *
 * <p>Why: MTAEU's encoder has B² + … ≈ 820 000 parameters on k-edges and the native op took 3.2 ms a step for
 * them (4 ns an element, single-threaded), as long as the step's GEMMs; the loop takes a fraction of that. The
 * arithmetic is ND4J's in float, in its order, so the updates equal the native op's within float rounding (a test
 * compares them). Same hyperparameters, state layout and JSON shape (this class's name) as {@link RmsProp}; arrays
 * other than dense FLOAT fall back to the native op. Not equal to a plain {@link RmsProp} (so DL4J keeps it in its
 * own updater block).
 */
public class JavaRmsProp extends RmsProp {
  private static final long serialVersionUID = 1L;
  /** The element loop on the Vector API ({@link RmsPropVector}: same bits, about 7 times faster) where it runs. */
  private static final boolean VECTOR = org.eelsunmix.linalg.VectorApi.ENABLED && RmsPropVector.usable();

  /** For JSON deserialisation. */
  public JavaRmsProp() {
    super();
  }

  public JavaRmsProp(double learningRate, double rmsDecay, double epsilon) {
    super(learningRate, rmsDecay, epsilon);
  }

  /** The same hyperparameters as {@code r} (learning rate, its schedule if any, decay, ε). */
  public static JavaRmsProp of(RmsProp r) {
    JavaRmsProp j = new JavaRmsProp(r.getLearningRate(), r.getRmsDecay(), r.getEpsilon());
    j.setLearningRateSchedule(r.getLearningRateSchedule());
    return j;
  }

  /**
   * {@code updater}, with a plain ND4J {@link RmsProp} replaced by this class (same hyperparameters); any other
   * updater (SGD, or already this class) as it is.
   */
  public static IUpdater replacing(IUpdater updater) {
    return updater.getClass() == RmsProp.class ? of((RmsProp) updater) : updater;
  }

  @Override
  public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
    Updater u = new Updater(this);
    INDArray flat = viewArray.reshape(viewArray.length());
    u.setStateViewArray(flat, flat.shape(), flat.ordering(), initializeViewArray);
    return u;
  }

  @Override
  public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
    Updater u = new Updater(this);
    u.setState(updaterState, initializeStateArrays);
    return u;
  }

  @Override
  public JavaRmsProp clone() {
    return of(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JavaRmsProp && super.equals(o);
  }

  @Override
  protected boolean canEqual(Object other) {
    return other instanceof JavaRmsProp;
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + 1;
  }

  /**
   * The element loop of RMSprop, the one copy of it (the DL4J updater below and {@link DaeuTrainer} call it): for
   * {@code i} in {@code [0, n)}, {@code s ← ρ s + (1 − ρ) g²}, then {@code g ← η g / (√s + ε)} in place, in float
   * and in the order of ND4J's {@code rms_prop_updater} op; a vector's worth of elements at a time where the JVM has
   * the Vector API ({@link RmsPropVector}, same bits).
   *
   * @param g the gradient from {@code gAt}, replaced by the update (to subtract from the parameters)
   * @param s the state from {@code sAt}, updated
   */
  static void step(float[] g, int gAt, float[] s, int sAt, int n, float learningRate, float decay, float epsilon) {
    int done = VECTOR ? RmsPropVector.step(g, gAt, s, sAt, n, learningRate, decay, epsilon) : 0;
    stepScalar(g, gAt + done, s, sAt + done, n - done, learningRate, decay, epsilon);
  }

  /** {@link #step} in scalar Java (the reference; the vector loop gives the same bits). */
  static void stepScalar(float[] g, int gAt, float[] s, int sAt, int n, float learningRate, float decay,
      float epsilon) {
    float keep = 1f - decay;
    for (int i = 0; i < n; i++) {
      float gi = g[gAt + i];
      float si = s[sAt + i] * decay + gi * gi * keep;
      s[sAt + i] = si;
      g[gAt + i] = gi * learningRate / ((float) Math.sqrt(si) + epsilon);
    }
  }

  /** The update of one block of parameters: ND4J's {@link RmsPropUpdater} with the element loop in Java. */
  static final class Updater extends RmsPropUpdater {
    private float[] g = new float[0];
    private float[] s = new float[0];

    Updater(RmsProp config) {
      super(config);
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
      INDArray state = getLastGradient();
      if (state == null || gradient.dataType() != DataType.FLOAT || state.dataType() != DataType.FLOAT
          || !NdBuffers.dense(gradient) || !NdBuffers.dense(state) || gradient.length() != state.length()) {
        super.applyUpdater(gradient, iteration, epoch);
        return;
      }
      int n = (int) gradient.length();
      if (g.length < n) {
        g = new float[n];
        s = new float[n];
      }
      FloatBuffer gb = gradient.data().asNioFloat();
      FloatBuffer sb = state.data().asNioFloat();
      int gAt = (int) gradient.offset();
      int sAt = (int) state.offset();
      gb.get(gAt, g, 0, n);
      sb.get(sAt, s, 0, n);
      step(g, 0, s, 0, n, (float) getConfig().getLearningRate(iteration, epoch), (float) getConfig().getRmsDecay(),
          (float) getConfig().getEpsilon());
      sb.put(sAt, s, 0, n);
      gb.put(gAt, g, 0, n);
    }
  }
}
