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

  /** An inline kernel: only a handle and small arrays. */
  record Handle(org.apache.spark.broadcast.Broadcast<byte[]> network) implements java.io.Serializable,
      KernelBroadcasts.Inline {}

  @Test
  void sharedValuesAreBroadcastOncePerScopeAndInlineKernelsRideInTheClosure() {
    SparkSession spark = TestSpark.session();
    byte[] network = {1, 2, 3, 4};
    assertNotSame(KernelBroadcasts.share(spark, network), KernelBroadcasts.share(spark, network),
        "outside a scope: a broadcast per call (per job)");
    try (KernelBroadcasts.Scope scope = KernelBroadcasts.open(spark)) {
      org.apache.spark.broadcast.Broadcast<byte[]> a = KernelBroadcasts.share(spark, network);
      org.apache.spark.broadcast.Broadcast<byte[]> b = KernelBroadcasts.share(spark, network.clone());
      assertSame(a, b, "equal bytes: the series' one broadcast");
      KernelBroadcasts.Shipped<Handle> kernel = KernelBroadcasts.ship(new Handle(a));
      assertFalse(kernel.isBroadcast(), "an inline kernel is not broadcast again");
      assertEquals(1, scope.broadcasts());
      assertEquals(2, scope.requests());
      List<Integer> sums = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(0, 1), 2)
          .map(i -> {
            int sum = 0;
            for (byte v : kernel.get().network().value()) {
              sum += v;
            }
            return sum;
          }).collect();
      assertEquals(List.of(10, 10), sums);
    }
  }
}
