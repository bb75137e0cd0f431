package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.junit.jupiter.api.Test;

/**
 * {@link JavaRmsProp} against ND4J's native RMSprop op and against the formula in double; its configuration's JSON
 * round trip and equality.
 */
class JavaRmsPropTest {
  @Test
  void updatesEqualNd4jsOpAndTheFormulaWithinFloatRounding() {
    int n = 10_001;
    RmsProp nativeConf = new RmsProp(1e-3, 0.9, 1e-7);
    JavaRmsProp javaConf = JavaRmsProp.of(nativeConf);
    // State views inside longer arrays (offsets), as DL4J's updater blocks hold them.
    INDArray nativeState = Nd4j.zeros(DataType.FLOAT, 1, n + 3).get(
        org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.interval(3, n + 3));
    INDArray javaState = Nd4j.zeros(DataType.FLOAT, n);
    GradientUpdater<?> nativeUpdater = nativeConf.instantiate(nativeState, true);
    GradientUpdater<?> javaUpdater = javaConf.instantiate(javaState, true);
    assertTrue(javaUpdater instanceof JavaRmsProp.Updater);
    double[] s = new double[n];
    java.util.Arrays.fill(s, 1e-7);
    Random random = new Random(3);
    for (int step = 0; step < 5; step++) {
      float[] g = new float[n];
      for (int i = 0; i < n; i++) {
        g[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 5));
      }
      INDArray gNative = Nd4j.createFromArray(g);
      INDArray gJava = Nd4j.createFromArray(g);
      nativeUpdater.applyUpdater(gNative, step, 0);
      javaUpdater.applyUpdater(gJava, step, 0);
      float[] uNative = gNative.toFloatVector();
      float[] uJava = gJava.toFloatVector();
      float[] sJava = javaState.toFloatVector();
      for (int i = 0; i < n; i++) {
        s[i] = 0.9 * s[i] + 0.1 * (double) g[i] * g[i];
        double exact = 1e-3 * g[i] / (Math.sqrt(s[i]) + 1e-7);
        // A few float roundings of the state carried over five steps, then four in the update.
        assertEquals(s[i], sJava[i], 2e-6 * s[i], "state " + i + " step " + step);
        assertEquals(exact, uJava[i], 4e-6 * Math.abs(exact) + 1e-30, "update " + i + " step " + step);
        assertEquals(uNative[i], uJava[i], 4e-6 * Math.abs(uNative[i]) + 1e-30, "vs ND4J, update " + i);
      }
    }
  }

  /**
   * The Vector API's loop gives the scalar loop's bits (gradients over 12 decades, zeros, a zero state), at offsets
   * and for every length around a vector's lanes.
   */
  @Test
  void vectorLoopHasTheScalarBits() {
    assertTrue(org.eelsunmix.linalg.VectorApi.ENABLED && RmsPropVector.usable(), "tests run with the Vector API");
    Random random = new Random(5);
    for (int n : new int[] {0, 1, 7, 8, 9, 16, 17, 31, 1000, 10_003}) {
      float[] g = new float[n + 2];
      float[] s = new float[n + 3];
      for (int i = 0; i < g.length; i++) {
        g[i] = i % 11 == 0 ? 0f : (float) (random.nextGaussian() * Math.pow(10, random.nextInt(13) - 9));
      }
      for (int i = 0; i < s.length; i++) {
        s[i] = i % 7 == 0 ? 0f : (float) Math.abs(random.nextGaussian() * 1e-6);
      }
      float[] gScalar = g.clone();
      float[] sScalar = s.clone();
      JavaRmsProp.stepScalar(gScalar, 2, sScalar, 3, n, 1e-3f, 0.9f, 1e-7f);
      JavaRmsProp.step(g, 2, s, 3, n, 1e-3f, 0.9f, 1e-7f);
      for (int i = 0; i < g.length; i++) {
        assertEquals(Float.floatToRawIntBits(gScalar[i]), Float.floatToRawIntBits(g[i]), "update " + i + ", n=" + n);
      }
      for (int i = 0; i < s.length; i++) {
        assertEquals(Float.floatToRawIntBits(sScalar[i]), Float.floatToRawIntBits(s[i]), "state " + i + ", n=" + n);
      }
    }
  }

  @Test
  void configurationSurvivesJsonAndIsNotAPlainRmsProp() {
    MultiLayerNetwork net = Mtaeu.network(12, new MtaeuOptions(3, 4));
    String json = net.getLayerWiseConfigurations().toJson();
    assertTrue(json.contains(JavaRmsProp.class.getName()), "the network's updater is JavaRmsProp");
    MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
    assertEquals(net.getLayerWiseConfigurations(), back);
    RmsProp plain = new RmsProp(1e-3, 0.9, 1e-7);
    JavaRmsProp java = JavaRmsProp.of(plain);
    assertNotEquals(plain, java);
    assertNotEquals(java, plain);
    assertEquals(java, java.clone());
    assertEquals(java, JavaRmsProp.of(plain));
  }
}
