package org.eelsunmix.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.unmix.Fcls;
import org.junit.jupiter.api.Test;

/** Equal kernels share one broadcast inside a scope; outside, they travel in the closure. */
class KernelBroadcastsTest {
  static PixelTransform.Kernel fcls(double scale) {
    Fcls f = new Fcls(new double[][] {{1, 2, 3}, {3 * scale, 1, 0}});
    return () -> {
      Fcls.Solver s = f.newSolver();
      return (y, a) -> {
        s.solve(y, 0, a);
        return 0;
      };
    };
  }

  @Test
  void equalKernelsShareABroadcastThatTheTasksRead() {
    SparkSession spark = TestSpark.session();
    KernelBroadcasts.Shipped<PixelTransform.Kernel> outside = KernelBroadcasts.ship(fcls(1));
    assertFalse(outside.isBroadcast());
    try (KernelBroadcasts.Scope scope = KernelBroadcasts.open(spark)) {
      assertThrows(IllegalStateException.class, () -> KernelBroadcasts.open(spark));
      KernelBroadcasts.Shipped<PixelTransform.Kernel> a = KernelBroadcasts.ship(fcls(1));
      KernelBroadcasts.Shipped<PixelTransform.Kernel> b = KernelBroadcasts.ship(fcls(1));
      KernelBroadcasts.Shipped<PixelTransform.Kernel> c = KernelBroadcasts.ship(fcls(2));
      assertTrue(a.isBroadcast() && b.isBroadcast() && c.isBroadcast());
      assertSame(a.get(), b.get(), "equal kernels: one broadcast, one value");
      assertNotSame(a.get(), c.get());
      assertEquals(2, scope.broadcasts());
      assertEquals(3, scope.requests());
      // The tasks solve with the broadcast kernel: x = (1, 0) mixes to y = (1, 2, 3).
      List<Double> first = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(0, 1), 2)
          .map(i -> {
            double[] out = new double[2];
            b.get().newSolver().solve(new float[] {1, 2, 3}, out);
            return out[0];
          }).collect();
      assertEquals(List.of(1.0, 1.0), first.stream().map(v -> Math.rint(v * 1e9) / 1e9).toList());
    }
    assertFalse(KernelBroadcasts.ship(fcls(1)).isBroadcast(), "closed: back to closures");
    KernelBroadcasts.open(spark).close(); // a new scope opens once the last one closed
  }
}
