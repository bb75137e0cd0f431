package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The background load finishes on a daemon thread, states its time for {@code --timings}, and leaves ND4J usable
 * from another thread (the result of an op checked by hand).
 */
class NativeWarmUpTest {
  @Test
  void loadsInTheBackgroundAndNd4jWorksAfterwards() throws InterruptedException {
    Thread t = NativeWarmUp.start();
    assertTrue(t.isDaemon(), "never keeps a command's JVM alive");
    t.join(600_000);
    assertFalse(t.isAlive());
    double s = NativeWarmUp.seconds();
    assertTrue(s >= 0 && !Double.isNaN(s), "load time " + s);
    float[] v = Nd4j.create(new float[] {1f, 2f, 3f, 4f}, new long[] {2, 2})
        .mmul(Nd4j.create(new float[] {1f, 0f, 0f, 1f}, new long[] {2, 2})) // times the identity
        .castTo(DataType.FLOAT).reshape(4).toFloatVector();
    assertEquals(java.util.List.of(1f, 2f, 3f, 4f), java.util.List.of(v[0], v[1], v[2], v[3]));
  }
}
