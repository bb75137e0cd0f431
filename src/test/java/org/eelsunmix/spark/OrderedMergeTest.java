package org.eelsunmix.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * Sums over partitions in partition order whatever order the tasks finish in: values chosen so that the order of the
 * additions changes the last bits, tasks delayed at random so that they finish in a different order each run; the
 * result must be the partition-order sum computed here, run after run, below and above the direct-merge limit.
 */
class OrderedMergeTest {

  /** Values of very different magnitudes: their floating-point sum depends on the order of the additions. */
  private static List<Double> values(int n, long seed) {
    Random r = new Random(seed);
    List<Double> v = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      v.add(Math.scalb(r.nextDouble(), r.nextInt(60) - 30) * (r.nextBoolean() ? 1 : -1));
    }
    return v;
  }

  @Test
  void partitionOrderWhateverOrderTasksFinishIn() {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
    for (int partitions : new int[] {3, 7, OrderedMerge.DIRECT + 9}) {
      List<Double> v = values(partitions * 5, partitions);
      // The expected bits: each partition's values left to right, then the partitions (in groups of ⌈√n⌉ beyond
      // the direct limit) in order.
      List<Double> partials = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        double s = v.get(p * 5);
        for (int k = 1; k < 5; k++) {
          s += v.get(p * 5 + k);
        }
        partials.add(s);
      }
      List<Double> level = partials;
      if (partitions > OrderedMerge.DIRECT) {
        int group = (int) Math.ceil(Math.sqrt(partitions));
        level = new ArrayList<>();
        for (int g = 0; g < partitions; g += group) {
          double s = partials.get(g);
          for (int k = g + 1; k < Math.min(partitions, g + group); k++) {
            s += partials.get(k);
          }
          level.add(s);
        }
      }
      double expected = level.get(0);
      for (int k = 1; k < level.size(); k++) {
        expected += level.get(k);
      }
      for (int run = 0; run < 4; run++) {
        long seed = run;
        JavaRDD<Double> rdd = sc.parallelize(v, partitions).mapPartitionsWithIndex((i, it) -> {
          Thread.sleep(new Random(seed * 1000 + i).nextInt(30)); // tasks finish in another order each run
          return it;
        }, true);
        double got = OrderedMerge.reduce(rdd, Double::sum);
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(got),
            partitions + " partitions, run " + run);
        double[] zero = {0.0};
        double[] aggregated = OrderedMerge.aggregate(rdd, zero, (a, x) -> {
          a[0] = a[0] == 0.0 ? x : a[0] + x;
          return a;
        }, (a, b) -> {
          a[0] += b[0];
          return a;
        });
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(aggregated[0]),
            partitions + " partitions, aggregate, run " + run);
      }
    }
    assertEquals(null, OrderedMerge.reduce(sc.parallelize(List.<Double>of(), 2), Double::sum));
  }
}
