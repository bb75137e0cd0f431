package org.eelsunmix.spark.ml;

import org.apache.spark.api.java.JavaRDD;
import org.eelsunmix.unmix.Blu;
import org.eelsunmix.unmix.BluChainBlock;
import org.eelsunmix.unmix.BluPixels;
import org.eelsunmix.unmix.BluSpectraBlock;
import org.eelsunmix.unmix.BluStatistics;
import org.eelsunmix.unmix.BluStep;
import org.eelsunmix.unmix.Fcls;
import org.eelsunmix.unmix.FclsResiduals;
import org.eelsunmix.unmix.VcaCandidate;
import org.eelsunmix.unmix.VcaProjection;

/**
 * The passes of a BLU fit ({@link Blu#run}) as Spark jobs, one per pass: each partition's pixels are read once
 * into a {@link BluSpectraBlock} (spectra and addresses, checked counts), kept as a local checkpoint for the start
 * (moments, VCA's restarted searches and their FCLS residuals, the move into the subspace), then replaced by {@link BluChainBlock}s (K + 3R doubles
 * per pixel: subspace coordinates, abundances, running sums), one new local checkpoint per sweep, the previous one
 * dropped. Every pass returns only what merges exactly: counts, maxima, fixed-point sums ({@code treeAggregate},
 * depth 2), VCA candidates; the chain is therefore the in-memory one, bit for bit, whatever the partitioning. As
 * with any local checkpoint, losing an executor during the fit fails it.
 */
final class PartitionedBluPixels implements BluPixels, AutoCloseable {
  private static final int DEPTH = 2;
  private final int channels;
  private final JavaRDD<BluSpectraBlock> spectra;
  private JavaRDD<BluChainBlock> chain;
  private long count = -1;
  private double maxCount;

  /** @param input the pixels, read from the store's Parquet pages when it is a plain scan of them (same blocks) */
  PartitionedBluPixels(SpectraInput input) {
    this.channels = input.channels();
    this.spectra = PartitionBlocks.read(input, BluSpectraBlock::new);
  }

  @Override
  public int channels() {
    return channels;
  }

  @Override
  public long count() {
    if (count < 0) {
      double[] countAndMax = spectra.map(s -> new double[] {s.count(), s.maxCount()})
          .reduce((x, y) -> new double[] {x[0] + y[0], Math.max(x[1], y[1])});
      count = (long) countAndMax[0];
      maxCount = countAndMax[1];
    }
    return count;
  }

  @Override
  public double maxCount() {
    count();
    return maxCount;
  }

  @Override
  public Blu.MomentSums moments(double max) {
    return spectra.treeAggregate(new Blu.MomentSums(channels, max, count()), (m, s) -> s.addMoments(m),
        Blu.MomentSums::merge, DEPTH);
  }

  @Override
  public double maxNormSquared(VcaProjection projection) {
    return spectra.map(s -> s.maxNormSquared(projection)).reduce(Math::max);
  }

  @Override
  public VcaCandidate[] candidates(VcaProjection projection, double[][] directions, double lift) {
    return spectra.map(s -> s.candidates(projection, directions, lift)).reduce(VcaCandidate::better);
  }

  @Override
  public FclsResiduals residuals(Fcls[] sets) {
    // each block makes its own accumulator (the solvers are not shipped back), the sums merge on the driver
    return spectra.map(s -> s.residuals(sets)).reduce(FclsResiduals::merge);
  }

  @Override
  public BluStatistics start(BluStep.Start start) {
    BluStatistics stats = replaceChain(spectra.map(s -> s.start(start)), start.newStatistics());
    spectra.unpersist(false); // the chain needs only the subspace coordinates from now on
    return stats;
  }

  @Override
  public BluStatistics sweep(BluStep.Sweep sweep) {
    if (chain == null) {
      throw new IllegalStateException("the BLU chain is not started yet");
    }
    return replaceChain(chain.map(c -> c.sweep(sweep)), sweep.newStatistics());
  }

  /** Makes {@code next} the current chain state (a local checkpoint), returns its summed statistics. */
  private BluStatistics replaceChain(JavaRDD<BluChainBlock> next, BluStatistics zero) {
    next.rdd().localCheckpoint();
    BluStatistics total = next.treeAggregate(zero, (acc, c) -> acc.merge(c.statistics()), BluStatistics::merge,
        DEPTH);
    if (chain != null) {
      chain.unpersist(false);
    }
    chain = next;
    return total;
  }

  @Override
  public void close() {
    if (chain != null) {
      chain.unpersist(false);
    }
    spectra.unpersist(false);
  }
}
