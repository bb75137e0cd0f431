package org.eelsunmix.spark.ml;

import java.io.Serializable;
import java.util.Collections;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.eelsunmix.unmix.NmfAbundanceUpdate;
import org.eelsunmix.unmix.NmfInitialisation;
import org.eelsunmix.unmix.NmfPixelBlock;
import org.eelsunmix.unmix.NmfPixelPasses;
import org.eelsunmix.unmix.NmfStatistics;
import org.eelsunmix.unmix.SpectralMoments;
import org.eelsunmix.spark.OrderedMerge;

/**
 * The passes of an NMF fit ({@link org.eelsunmix.unmix.NmfFit}) as Spark jobs over partitioned pixels: each pass
 * runs the per-pixel kernels inside the partitions and brings back only a small sum, merged in partition order
 * ({@link OrderedMerge}, so the same bits run after run): the B × B moments, 2R part norms, or the
 * {@link NmfStatistics} (R × R + R × B). Nothing per pixel reaches the driver.
 *
 * <p>With an NNDSVD start the first pass, which reads the rows into blocks, also sums their B × B moments.
 *
 * <p>Each partition's spectra are read once from the binary rows into one {@link NmfPixelBlock} (N_p × B floats,
 * checked: channel count, finite, non-negative) and kept for the whole fit, so the 200-odd passes do not decode rows again. The
 * abundances W live in a second RDD of blocks (N_p × R doubles, aligned with the spectra block of the same
 * partition), rebuilt by every pass. How both are kept is {@link FitCheckpoints}'s choice: by default local
 * checkpoints (kept on the executors, memory then disk): the lineage stays one step long whatever the number of
 * iterations, a block is never recomputed in another row order, and only the current and the previous W exist at a
 * time, but losing an executor fails the fit. With a checkpoint folder on the cluster file system
 * ({@code spark.checkpoint.dir}) the spectra are written there once and W every few iterations, so a lost executor's
 * blocks are recomputed (the same bits: each pass is a deterministic function of its blocks) and the fit goes on.
 */
final class PartitionedNmfPixels implements NmfPixelPasses, AutoCloseable {
  private static final String DESCRIPTION = "spark.job.description";
  private final int channels;
  private final int components;
  private final JavaRDD<NmfPixelBlock> spectra;
  private final FitCheckpoints checkpoints;
  private final boolean momentsInFirstPass;
  private long pixels = -1;
  /** The moments summed by the first pass, until {@link #moments} hands them over; null otherwise. */
  private SpectralMoments firstPassMoments;
  /** The current W, one block per partition; null before {@link #start}. */
  private JavaRDD<AbundanceBlock> abundances;

  /** One partition's abundances (row-major N_p × R) and the statistics of the pass that made them. */
  record AbundanceBlock(double[] w, NmfStatistics statistics) implements Serializable {}

  /**
   * @param input the pixel rows and their reader (non-negative counts required); read from the store's Parquet
   *     pages when it is a plain scan of them ({@link PartitionBlocks#blocks(SpectraInput, PartitionBlocks.Maker)}:
   *     the same blocks, so the same bits)
   * @param components R
   * @param momentsInFirstPass sum the B × B moments in the pass that reads the rows into blocks (the NNDSVD starts
   *     need them next), so {@link #moments} runs no pass of its own; false for the random start
   */
  PartitionedNmfPixels(SpectraInput input, int components, boolean momentsInFirstPass) {
    this.channels = input.channels();
    this.components = components;
    this.momentsInFirstPass = momentsInFirstPass;
    this.checkpoints = FitCheckpoints.of(input.context().sc());
    this.spectra = checkpoints.input(PartitionBlocks.blocks(input, (data, keys, b) -> {
      long[] draws = new long[keys.length];
      for (int i = 0; i < keys.length; i++) {
        draws[i] = NmfInitialisation.drawKey(keys[i].acquisition(), keys[i].y(), keys[i].x());
      }
      return new NmfPixelBlock(data, draws, b);
    }));
  }

  @Override
  public int channels() {
    return channels;
  }

  @Override
  public long pixels() {
    if (pixels < 0) {
      // reads and checks every spectrum once
      if (momentsInFirstPass) {
        // The same aggregation as moments() alone (per block in order, the same tree), so the same bits; one pass
        // over the pixels and one job fewer.
        firstPassMoments = labelled("reading the pixels into blocks and their B x B moments", this::sumMoments);
        pixels = firstPassMoments.count();
      } else {
        pixels = labelled("reading the pixels into blocks", () -> spectra.map(s -> (long) s.count()).fold(0L,
            Long::sum));
      }
    }
    return pixels;
  }

  @Override
  public double meanCount() {
    long n = pixels();
    return labelled("mean count", () -> OrderedMerge.aggregate(spectra, 0.0, (sum, block) -> sum + block.total(), Double::sum))
        / ((double) n * channels);
  }

  @Override
  public SpectralMoments moments() {
    if (firstPassMoments != null) {
      SpectralMoments m = firstPassMoments;
      firstPassMoments = null; // handed over once: the caller may change them
      return m;
    }
    return labelled("B x B moments", this::sumMoments);
  }

  private SpectralMoments sumMoments() {
    int b = channels;
    return OrderedMerge.aggregate(spectra, new SpectralMoments(b), (m, s) -> s.addMoments(m), SpectralMoments::merge);
  }

  @Override
  public double[] partNorms(NmfInitialisation start) {
    return labelled("start part norms", () -> OrderedMerge.aggregate(spectra, new double[start.partNormsLength()],
        (sums, s) -> s.addPartNorms(start, sums), (x, y) -> {
          for (int k = 0; k < x.length; k++) {
            x[k] += y[k];
          }
          return x;
        }));
  }

  @Override
  public NmfStatistics start(NmfInitialisation start) {
    int b = channels;
    int r = components;
    return labelled("start", () -> replaceAbundances(spectra.map(s -> {
      double[] w = new double[s.count() * r];
      return new AbundanceBlock(w, s.start(start, w, new NmfStatistics(r, b)));
    })));
  }

  @Override
  public NmfStatistics update(NmfAbundanceUpdate step) {
    int b = channels;
    int r = components;
    return labelled("iteration", () -> replaceAbundances(spectra.zipPartitions(requireStarted(), (ss, ws) -> {
      NmfPixelBlock s = ss.next();
      double[] w = ws.next().w().clone(); // the previous block stays as it was (it may be read again)
      return Collections.singletonList(new AbundanceBlock(w, s.update(step, w, new NmfStatistics(r, b))))
          .iterator();
    })));
  }

  @Override
  public double residualSquared(double[] endmembers) {
    return labelled("final residual", () -> OrderedMerge.aggregate(spectra.zipPartitions(requireStarted(), (ss, ws) ->
        Collections.singletonList(ss.next().residualSquared(ws.next().w(), endmembers)).iterator()), 0.0, Double::sum,
        Double::sum));
  }

  /**
   * Runs one pass with its Spark jobs described as the caller's description plus {@code what} (so {@code --timings}
   * and the progress line say which pass a job is), then restores the caller's description.
   */
  private <T> T labelled(String what, java.util.function.Supplier<T> pass) {
    SparkContext sc = spectra.context();
    String outer = sc.getLocalProperty(DESCRIPTION);
    sc.setJobDescription(outer == null ? "nmf: " + what : outer + ": " + what);
    try {
      return pass.get();
    } finally {
      sc.setLocalProperty(DESCRIPTION, outer);
    }
  }

  /** Makes {@code next} the current W (checkpointed), returns its summed statistics, drops the old W. */
  private NmfStatistics replaceAbundances(JavaRDD<AbundanceBlock> next) {
    checkpoints.state(next);
    int b = channels;
    int r = components;
    NmfStatistics total = OrderedMerge.aggregate(next, new NmfStatistics(r, b),
        (acc, block) -> acc.merge(block.statistics()), NmfStatistics::merge);
    checkpoints.stored();
    if (abundances != null) {
      abundances.unpersist(false);
    }
    abundances = next;
    return total;
  }

  private JavaRDD<AbundanceBlock> requireStarted() {
    if (abundances == null) {
      throw new IllegalStateException("the NMF abundances are not started yet");
    }
    return abundances;
  }

  /** Frees the blocks kept on the executors and deletes the fit's checkpoint files. */
  @Override
  public void close() {
    if (abundances != null) {
      abundances.unpersist(false);
    }
    spectra.unpersist(false);
    checkpoints.close();
  }
}
