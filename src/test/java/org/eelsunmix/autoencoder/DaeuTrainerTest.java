package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The plain DAEU trainer ({@link DaeuTrainer}) against DL4J's step on the same network, and its gradient against
 * double-precision central differences of an independent double-precision forward pass.
 */
class DaeuTrainerTest {
  private static final SyntheticCube CUBE = SyntheticGenerator.generate(
      SyntheticGenerator.Options.builtin("co-ru-pt"), 0);

  /**
   * Float rounding: both paths run float arithmetic, so values may differ by a few ulps where an operation's order
   * differs; 8 ulps of the larger value, plus 1e-7 of the vector's largest value for entries that cancel to near 0.
   * (Measured: no difference at all — the same kernels, in the same order.)
   */
  private static void assertCloseInFloat(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + " length");
    float scale = 0;
    for (float v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < expected.length; i++) {
      float tolerance = 8 * Math.ulp(Math.max(Math.abs(expected[i]), Math.abs(actual[i]))) + 1e-7f * scale;
      assertEquals(expected[i], actual[i], tolerance, what + " [" + i + "]");
    }
  }

  private static float[] concat(float[] a, float[] b) {
    float[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /** {@code n} spectra of the cube (pixels from {@code from} on), divided by the cube's largest count. */
  private static float[] batch(int from, int n, int b) {
    float[] data = CUBE.image().data();
    float max = 0;
    for (float v : data) {
      max = Math.max(max, v);
    }
    float[] x = new float[n * b];
    for (int i = 0; i < x.length; i++) {
      x[i] = data[from * b + i] * (1f / max);
    }
    return x;
  }

  @Test
  void stepEqualsDl4jsStep() {
    int b = CUBE.image().channels();
    // A large learning rate so the constraints bite within a few steps (α and W clamped to 0).
    DaeuOptions o = new DaeuOptions(3, 5, 1, 6, 600, 0.05);
    MultiLayerNetwork dl4j = Daeu.network(b, o);
    MultiLayerNetwork probe = Daeu.network(b, o);
    MultiLayerNetwork plain = Daeu.network(b, o);
    assertArrayEquals(dl4j.params().toFloatVector(), plain.params().toFloatVector(), "same seeded start");
    DaeuTrainer trainer = new DaeuTrainer(plain);
    int[] sizes = {6, 6, 2, 6, 6, 6, 3, 6};
    int from = 0;
    boolean alphaClamped = false;
    boolean weightClamped = false;
    for (int step = 0; step < sizes.length; step++) {
      int n = sizes[step];
      float[] x = batch(from, n, b);
      from += n;
      INDArray in = Nd4j.create(x, new long[] {n, b}, DataType.FLOAT);
      // DL4J's gradient and score before the update, on a copy of the network as it stands.
      probe.params().assign(dl4j.params());
      probe.setInput(in);
      probe.setLabels(in);
      probe.computeGradientAndScore();
      float[] expectedGradient = probe.gradient().gradient().toFloatVector();
      double score = trainer.gradient(x, n);
      assertEquals(probe.score(), score, 1e-7 * probe.score(), "score, step " + step);
      assertCloseInFloat(expectedGradient, concat(trainer.encoderGradient(), trainer.decoderWeights(true)),
          "gradient, step " + step);
      // The update: DL4J's fit (same batch, so the same forward pass) against the trainer's.
      trainer.update(n);
      dl4j.fit(in, in);
      assertEquals(dl4j.score(), score, 1e-7 * score, "fit's score, step " + step);
      float[] expected = dl4j.params().toFloatVector();
      float[] actual = concat(trainer.encoderParams(), trainer.decoderWeights(false));
      assertCloseInFloat(expected, actual, "parameters after step " + step);
      AbundanceEncoderKernel k = new AbundanceEncoderKernel(b, 3);
      for (int j = 0; j < 3; j++) {
        assertTrue(actual[k.alphaOffset() + j] >= 0f, "α ≥ 0");
        alphaClamped |= expected[k.alphaOffset() + j] == 0f;
      }
      for (int i = k.parameterCount(); i < actual.length; i++) {
        assertTrue(actual[i] >= 0f, "W ≥ 0");
        weightClamped |= expected[i] == 0f;
      }
    }
    assertTrue(alphaClamped && weightClamped, "the constraints were exercised");
    // Written back once: parameters, RMSprop state and iteration count as DL4J's network holds them.
    trainer.finish();
    assertCloseInFloat(dl4j.params().toFloatVector(), plain.params().toFloatVector(), "network's parameters");
    assertCloseInFloat(dl4j.getUpdater().getStateViewArray().toFloatVector(),
        plain.getUpdater().getStateViewArray().toFloatVector(), "RMSprop state");
    assertEquals(dl4j.getIterationCount(), plain.getIterationCount());
  }

  /** A short seeded training through AutoencoderFit, plain trainer against DL4J's steps: the same results. */
  @Test
  void trainingEqualsDl4jsTraining() {
    DaeuOptions o = new DaeuOptions(3, 4).withEpochs(2).withSamples(300);
    int b = CUBE.image().channels();
    WindowSample sample = WindowSample.ofSpectra(Arrays.copyOf(CUBE.image().data(), 300 * b), b);
    TrainedNetwork plain = Daeu.fit(o, sample, "sample", false);
    TrainedNetwork dl4j = Daeu.fit(o, sample, "sample", true);
    assertArrayEquals(dl4j.losses(), plain.losses(), 1e-6);
    assertEquals(dl4j.reconstructionLoss(), plain.reconstructionLoss(), 1e-6);
    assertCloseInFloat(dl4j.network().params().toFloatVector(), plain.network().params().toFloatVector(),
        "trained parameters");
    assertEquals(dl4j.network().getIterationCount(), plain.network().getIterationCount());
    System.out.println("DAEU plain trainer vs DL4J's steps, 100 steps: parameters bit-identical "
        + Arrays.equals(dl4j.network().params().toFloatVector(), plain.network().params().toFloatVector())
        + ", losses bit-identical " + Arrays.equals(dl4j.losses(), plain.losses()));
  }

  @Test
  void gradientMatchesDoubleCentralDifferences() {
    int b = 24;
    int r = 3;
    int n = 6;
    SplittableRandom random = new SplittableRandom(3);
    DaeuOptions o = new DaeuOptions(r, 9, 1, n, 60, 0.01);
    DaeuTrainer trainer = new DaeuTrainer(Daeu.network(b, o));
    float[] x = new float[n * b];
    // A few steps first, so α, γ, β and W have left their starting values.
    for (int step = 0; step < 4; step++) {
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (0.05 + random.nextDouble());
      }
      trainer.step(x, n);
    }
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (0.05 + random.nextDouble());
    }
    trainer.gradient(x, n);
    AbundanceEncoderKernel k = new AbundanceEncoderKernel(b, r);
    double[] theta = toDouble(concat(trainer.encoderParams(), trainer.decoderWeights(false)));
    float[] gradient = concat(trainer.encoderGradient(), trainer.decoderWeights(true));
    double[] xd = toDouble(x);
    double scale = 0;
    for (float g : gradient) {
      scale = Math.max(scale, Math.abs(g));
    }
    double worst = 0;
    for (int i = k.trainedOffset(); i < theta.length; i++) {
      double keep = theta[i];
      double h = 1e-6 * Math.max(1, Math.abs(keep));
      theta[i] = keep + h;
      double plus = loss(k, xd, n, theta);
      theta[i] = keep - h;
      double minus = loss(k, xd, n, theta);
      theta[i] = keep;
      double difference = (plus - minus) / (2 * h);
      worst = Math.max(worst, Math.abs(difference - gradient[i]) / scale);
      // The trainer's forward and backward passes run in float (activations rounded to ~6e-8 relative, sums of up to
      // 27 terms): agreement to 1e-4 of the largest gradient entry, or 1e-3 of the entry, is float rounding.
      assertEquals(difference, gradient[i], 1e-4 * scale + 1e-3 * Math.abs(difference), "parameter " + i);
    }
    System.out.printf("DAEU gradient vs double central differences: worst |Δ| / max|g| = %.2e%n", worst);
  }

  private static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  /**
   * Σ angles of DAEU's training-mode forward pass in double, written from the paper's definition (independent of
   * the kernels): four bias-free dense layers with LeakyReLU(0.1), batch normalisation with the batch's mean and
   * biased variance (ε 1e-3), soft threshold relu(y − α), values below 1e-7 dropped, sum to one, ŷ = a W.
   *
   * @param theta the encoder's flat parameters ({@link AbundanceEncoderKernel}'s layout), then W at {@code c·R + k}
   */
  private static double loss(AbundanceEncoderKernel k, double[] x, int n, double[] theta) {
    int b = k.channels();
    int r = k.endmembers();
    double[] h = x;
    for (int l = 0; l < 4; l++) {
      int in = k.width(l);
      int out = k.width(l + 1);
      double[] z = new double[n * out];
      for (int p = 0; p < n; p++) {
        for (int j = 0; j < out; j++) {
          double s = 0;
          for (int i = 0; i < in; i++) {
            s += h[p * in + i] * theta[k.weightOffset(l) + i * out + j];
          }
          z[p * out + j] = s > 0 ? s : 0.1 * s;
        }
      }
      h = z;
    }
    double[][] a = new double[n][r];
    for (int j = 0; j < r; j++) {
      double mean = 0;
      for (int p = 0; p < n; p++) {
        mean += h[p * r + j] / n;
      }
      double variance = 0;
      for (int p = 0; p < n; p++) {
        variance += (h[p * r + j] - mean) * (h[p * r + j] - mean) / n;
      }
      for (int p = 0; p < n; p++) {
        double y = theta[k.gammaOffset() + j] * (h[p * r + j] - mean) / Math.sqrt(variance + 1e-3)
            + theta[k.betaOffset() + j];
        double t = Math.max(y - theta[k.alphaOffset() + j], 0);
        a[p][j] = t >= 1e-7 ? t : 0;
      }
    }
    int w = k.parameterCount();
    double total = 0;
    for (int p = 0; p < n; p++) {
      double sum = 0;
      for (int j = 0; j < r; j++) {
        sum += a[p][j];
      }
      double dot = 0;
      double yy = 0;
      double hh = 0;
      for (int c = 0; c < b; c++) {
        double fit = 0;
        for (int j = 0; j < r; j++) {
          fit += (sum > 0 ? a[p][j] / sum : 1.0 / r) * theta[w + c * r + j];
        }
        dot += x[p * b + c] * fit;
        yy += x[p * b + c] * x[p * b + c];
        hh += fit * fit;
      }
      total += Math.acos(dot / Math.sqrt(yy * hh));
    }
    return total;
  }
}
