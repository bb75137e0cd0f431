package org.eelsunmix.spark.ml;

import java.io.Serializable;
import org.apache.spark.api.java.JavaRDD;
import org.eelsunmix.unmix.Blu;
import org.eelsunmix.unmix.Fcls;
import org.eelsunmix.unmix.FclsResiduals;
import org.eelsunmix.unmix.Msda;
import org.eelsunmix.unmix.SpectralMoments;
import org.eelsunmix.unmix.SumToOneNnls;
import org.eelsunmix.unmix.UdasBlock;
import org.eelsunmix.unmix.UdasEncoderPass;
import org.eelsunmix.unmix.UdasPixelPasses;
import org.eelsunmix.unmix.UdasStatistics;
import org.eelsunmix.unmix.VcaCandidate;
import org.eelsunmix.unmix.VcaProjection;

/**
 * The passes of a uDAS fit ({@link org.eelsunmix.unmix.UdasFit}) as Spark jobs over partitioned pixels, as
 * {@link PartitionedNmfPixels} does for NMF: each partition's spectra are read once into one {@link UdasBlock}
 * (counts checked: channel count, finite, non-negative) and every pass runs the block's kernels inside the
 * partition and brings back only a small sum ({@code treeAggregate}, depth 2): maxima and
 * {@link org.eelsunmix.unmix.FixedPointSum}s, which merge to the same bits in any tree, so the fit equals the
 * in-memory one ({@link org.eelsunmix.unmix.Udas#fit}, one block) bit for bit for any partitioning. A pass that keeps per-pixel state
 * (input copies, VCA projections, H) builds new blocks from copies of the old ones (the old arrays stay
 * intact) and makes them a local checkpoint, so the lineage stays one step long and a block is never recomputed in
 * another row order; as for any local checkpoint, losing an executor during the fit fails the fit.
 */
final class PartitionedUdasPixels implements UdasPixelPasses, AutoCloseable {
  private static final int DEPTH = 2;
  private final int channels;
  private final int components;
  private long pixels = -1;
  private JavaRDD<UdasBlock> blocks;

  /** A per-partition step that changes a block copy and returns the partition's statistics. */
  private interface Step<S extends Serializable> extends Serializable {
    S apply(UdasBlock copy);
  }

  /** @param input the pixels, read from the store's Parquet pages when it is a plain scan of them (same blocks) */
  PartitionedUdasPixels(SpectraInput input, int components) {
    this.channels = input.channels();
    this.components = components;
    blocks = PartitionBlocks.read(input, UdasBlock::new);
  }

  @Override
  public int channels() {
    return channels;
  }

  @Override
  public double maxCount() {
    return blocks.map(UdasBlock::maxCount).fold(0.0, Math::max);
  }

  @Override
  public SpectralMoments moments(double maxCount) {
    long n = count();
    return blocks.treeAggregate(new Blu.MomentSums(channels, maxCount, n), (m, blk) -> blk.addMoments(m),
        Blu.MomentSums::merge, DEPTH).moments(n);
  }

  @Override
  public void keepInput(double scale) {
    advance(blk -> {
      blk.keepInput(scale);
      return 0.0;
    }, Double::sum);
  }

  /** The number of pixels (counted once). */
  private long count() {
    if (pixels < 0) {
      pixels = blocks.map(blk -> (long) blk.count()).fold(0L, Long::sum);
    }
    return pixels;
  }

  @Override
  public double project(VcaProjection projection) {
    return advance(blk -> blk.project(projection), Math::max);
  }

  @Override
  public VcaCandidate[] candidates(VcaProjection projection, double[][] directions, double lift) {
    return blocks.map(blk -> blk.candidates(projection, directions, lift)).reduce(VcaCandidate::better);
  }

  @Override
  public FclsResiduals residuals(Fcls[] sets) {
    // each block makes its own accumulator (the solvers are not shipped back), the sums merge on the driver
    return blocks.map(blk -> blk.residuals(sets)).reduce(FclsResiduals::merge);
  }

  @Override
  public double fcls(Fcls fcls) {
    return advance(blk -> blk.fcls(fcls), Math::max);
  }

  @Override
  public double refine(SumToOneNnls step) {
    return advance(blk -> blk.refine(step), Math::max);
  }

  @Override
  public UdasStatistics abundanceSums(double scale, UdasStatistics empty) {
    return blocks.treeAggregate(empty, (acc, blk) -> blk.abundanceSums(scale, acc), UdasStatistics::merge, DEPTH);
  }

  @Override
  public UdasStatistics encode(UdasEncoderPass pass, double scale, UdasStatistics empty) {
    return blocks.treeAggregate(empty, (acc, blk) -> blk.encode(pass, scale, acc), UdasStatistics::merge, DEPTH);
  }

  @Override
  public void release() {
    JavaRDD<UdasBlock> next = blocks.map(UdasBlock::released);
    next.rdd().localCheckpoint();
    next.count(); // materialise before the old blocks go: they hold the abundances
    blocks.unpersist(false);
    blocks = next;
  }

  /**
   * Runs {@code step} on a copy of every block, makes the copies the current blocks (a local checkpoint) and
   * returns the merged statistics; the old blocks are dropped.
   */
  @SuppressWarnings("unchecked")
  private <S extends Serializable> S advance(Step<S> step, org.apache.spark.api.java.function.Function2<S, S, S> merge) {
    JavaRDD<UdasBlock> next = blocks.map(blk -> {
      UdasBlock copy = blk.copy();
      return copy.withResult(step.apply(copy));
    });
    next.rdd().localCheckpoint();
    S total = next.map(blk -> (S) blk.result()).filter(v -> v != null).treeReduce(merge, DEPTH);
    blocks.unpersist(false);
    blocks = next;
    return total;
  }

  /** Frees the blocks kept on the executors. */
  @Override
  public void close() {
    blocks.unpersist(false);
  }
}
