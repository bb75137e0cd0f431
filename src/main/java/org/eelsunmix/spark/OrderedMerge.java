package org.eelsunmix.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import scala.Tuple2;

/**
 * Sums over partitions in partition order, whatever order their tasks finish in: the deterministic replacement for
 * {@code treeAggregate}/{@code treeReduce}/{@code fold}, whose last level merges the task results as they arrive, so
 * that with three or more partitions a floating-point sum (moments, NMF's statistics, FCLS residuals) can differ in
 * its last bits from one run to the next. Here each partition folds its values in order; up to {@value #DIRECT}
 * partition results are collected (Spark returns them in partition order) and merged left to right on the driver;
 * beyond that, consecutive groups of ⌈√n⌉ partitions are merged on the executors (a shuffle of one value per
 * partition, each group sorted by partition index before its merge) and the ⌈√n⌉ group results on the driver, in
 * group order, as a depth-2 tree does. Same seed, same data and same partitioning: the same bits.
 *
 * <p>With one or two partitions the result equals Spark's (its {@code zero + a + b} has the bits of {@code a + b}
 * in either order, addition being commutative), so results on small inputs did not change.
 */
public final class OrderedMerge {
  /** Partition results merged on the driver without a shuffle. */
  static final int DIRECT = 16;

  private OrderedMerge() {}

  /** The values of each partition merged in order, then the partitions' results in partition order; null if none. */
  public static <A> A reduce(JavaRDD<A> values, Function2<A, A, A> merge) {
    JavaRDD<Tuple2<Integer, A>> perPartition = values.mapPartitionsWithIndex((Integer i, Iterator<A> it) -> {
      A acc = null;
      while (it.hasNext()) {
        A v = it.next();
        acc = acc == null ? v : merge.call(acc, v);
      }
      return acc == null ? Collections.<Tuple2<Integer, A>>emptyIterator() : List.of(new Tuple2<>(i, acc)).iterator();
    }, true);
    int n = values.getNumPartitions();
    List<Tuple2<Integer, A>> results;
    if (n <= DIRECT) {
      results = perPartition.collect();
    } else {
      int group = (int) Math.ceil(Math.sqrt(n));
      int groups = (n + group - 1) / group;
      results = new ArrayList<>(perPartition.mapToPair(t -> new Tuple2<>(t._1() / group, t)).groupByKey(groups)
          .map(g -> {
            List<Tuple2<Integer, A>> members = new ArrayList<>();
            g._2().forEach(members::add);
            members.sort((a, b) -> Integer.compare(a._1(), b._1()));
            A acc = members.get(0)._2();
            for (int k = 1; k < members.size(); k++) {
              acc = merge.call(acc, members.get(k)._2());
            }
            return new Tuple2<>(g._1(), acc);
          }).collect());
      results.sort((a, b) -> Integer.compare(a._1(), b._1()));
    }
    A total = null;
    for (Tuple2<Integer, A> r : results) {
      try {
        total = total == null ? r._2() : merge.call(total, r._2());
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return total;
  }

  /**
   * {@code treeAggregate}'s contract in partition order: each partition folds its elements into its own copy of
   * {@code zero} ({@code add}), then the partitions' accumulators are merged by {@link #reduce}; {@code zero} itself
   * when there are no partitions.
   */
  public static <T, A extends Serializable> A aggregate(JavaRDD<T> rdd, A zero, Function2<A, T, A> add,
      Function2<A, A, A> merge) {
    A total = reduce(rdd.mapPartitions((Iterator<T> it) -> {
      A acc = zero; // this task's own copy: the closure is deserialised per task
      while (it.hasNext()) {
        acc = add.call(acc, it.next());
      }
      return List.of(acc).iterator();
    }), merge);
    return total == null ? zero : total;
  }
}
