package org.eelsunmix.spark.ml;

import org.eelsunmix.core.Unmixing;
import org.eelsunmix.core.SpectrumImage;
import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.SparkContext;
import org.apache.spark.storage.StorageLevel;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.unmix.Fcls;
import org.eelsunmix.unmix.FclsResiduals;
import org.eelsunmix.unmix.SpectralMoments;
import org.eelsunmix.unmix.Vca;
import org.eelsunmix.unmix.VcaCandidate;
import org.eelsunmix.unmix.VcaPixelBlock;
import org.eelsunmix.unmix.VcaProjection;
import org.eelsunmix.unmix.VcaRestarts;
import org.eelsunmix.spark.OrderedMerge;

/**
 * VCA endmember extraction + FCLS abundances as a Spark ML estimator over pixel rows (Nascimento &amp;
 * Bioucas-Dias 2005; Heinz &amp; Chang 2001). {@link #fit} runs the same kernels as {@link Vca#fit}:
 *
 * <ol>
 *   <li>each partition's rows decoded once into a {@link VcaPixelBlock} kept for the whole fit (from the store's
 *       Parquet pages when the input is a plain scan of them, {@link PartitionBlocks#blocks(SpectraInput,
 *       PartitionBlocks.Maker)}), and one
 *       merged (in partition order, {@link OrderedMerge}) {@link SpectralMoments} (B×B, never the pixels) → {@link VcaProjection};</li>
 *   <li>one pass projecting every pixel to R numbers, kept (R doubles per pixel, not the spectra);</li>
 *   <li>R reductions along {@link VcaRestarts}' directions: each pass scores every pixel along the K = {@code
 *       restarts} directions at once and reduces K candidates with {@link VcaCandidate#better};</li>
 *   <li>with K &gt; 1, one more pass: the mean FCLS residual of each restart's set ({@link FclsResiduals}, one solver
 *       per distinct set per partition); the lowest is kept.</li>
 * </ol>
 *
 * The resulting {@link VcaFclsModel} unmixes any pixel table with FCLS inside partitions. Partitioning does not
 * change the chosen pixels (ties go to raster order) nor the kept restart (ties go to the lowest index); the moments
 * are summed in another order, so endmembers agree with the in-memory fit to rounding (relative 1e-12 or so), not
 * bit for bit.
 */
public final class VcaFcls extends UnmixingEstimator<VcaFcls, VcaFclsModel> {
  private static final long serialVersionUID = 1L;
  private final DoubleParam snrDb;
  private final IntParam restarts;

  public VcaFcls() {
    this(Identifiable$.MODULE$.randomUID("vcaFcls"));
  }

  public VcaFcls(String uid) {
    super(uid);
    snrDb = new DoubleParam(this, "snrDb", "SNR in dB that selects VCA's projection; NaN estimates it (default)");
    restarts = restartsParam(this);
    setDefault(snrDb, Double.NaN);
    setDefault(restarts, Vca.DEFAULT_RESTARTS);
  }

  /** The {@code restarts} param of the estimator and of its model (the model records how it was fitted). */
  static IntParam restartsParam(org.apache.spark.ml.param.Params owner) {
    return new IntParam(owner, "restarts", "VCA searches with seeds seed + k sharing the passes; the set with the "
        + "lowest mean FCLS residual is kept (>= 1)", ParamValidators.gtEq(1));
  }

  @Override
  public String method() {
    return VcaFclsModel.METHOD;
  }

  public DoubleParam snrDb() {
    return snrDb;
  }

  public VcaFcls setSnrDb(double value) {
    return with(snrDb, value);
  }

  public double getSnrDb() {
    return (Double) $(snrDb);
  }

  public IntParam restarts() {
    return restarts;
  }

  public VcaFcls setRestarts(int value) {
    return with(restarts, value);
  }

  public int getRestarts() {
    return (Integer) $(restarts);
  }

  /** VCA in memory with these restarts and SNR (restart k uses seed + k), then FCLS of the kept set. */
  @Override
  protected Unmixing trainInMemory(SpectrumImage image) {
    Vca.Result vca = Vca.fit(image, new Vca.Options(getNumEndmembers(), getSeed(), getSnrDb(), getRestarts()));
    return new Unmixing(vca.endmembers(), new Fcls(vca.endmembers().matrix()).unmix(image));
  }

  /**
   * The passes of the class comment over {@link VcaPixelBlock}s: each partition's rows are decoded once into a block
   * (cached on the executors, recomputed from the input if an executor is lost) that every pass reuses. Each pass feeds its accumulator the block's pixels in
   * row order and merges the partitions as the row passes do (in partition order), so the result has the
   * bits of one pass over the rows.
   */
  @Override
  protected VcaFclsModel train(Dataset<?> dataset) {
    int r = getNumEndmembers();
    SpectraInput input = SpectraInput.of(dataset, getInputCol());
    EnergyAxis axis = input.axis();
    int channels = input.channels();
    requireEndmembersFit(channels);
    SparkContext sc = input.context().sc();
    String outer = sc.getLocalProperty(DESCRIPTION);
    {
      // Cached, not checkpointed: a block lost with its executor is decoded again from the input (the same bits),
      // so the fit survives a lost worker; its few passes need no checkpoint to keep the lineage short.
      JavaRDD<VcaPixelBlock> blocks = PartitionBlocks.blocks(input, VcaPixelBlock::new)
          .persist(StorageLevel.MEMORY_AND_DISK());
      describe(sc, outer, "reading the pixels and their moments");
      SpectralMoments moments = OrderedMerge.reduce(blocks.mapPartitions((Iterator<VcaPixelBlock> it) -> {
        SpectralMoments m = new SpectralMoments(channels);
        while (it.hasNext()) {
          it.next().addMoments(m);
        }
        return Collections.singletonList(m).iterator();
      }), SpectralMoments::merge);
      if (moments.count() < r) {
        throw new BadInputException("input dataset", "has " + moments.count() + " pixels, fewer than the " + r
            + " endmembers asked for");
      }
      VcaProjection projection = VcaProjection.fromMoments(moments, r, getSnrDb());
      JavaRDD<double[]> projected = blocks.map(b -> b.project(projection)).persist(StorageLevel.MEMORY_AND_DISK());
      try {
        describe(sc, outer, "projection");
        double lift = projection.projective()
            ? Math.sqrt(projected.map(x -> VcaPixelBlock.maxNormSquared(projection, x)).reduce(Math::max))
            : 0;
        int k = getRestarts();
        VcaRestarts search = new VcaRestarts(projection, lift, getSeed(), k);
        describe(sc, outer, "search");
        while (!search.done()) {
          double[][] f = search.nextDirections();
          search.accept(blocks.zip(projected).map(bx -> bx._1().candidates(projection, bx._2(), f, lift))
              .reduce(VcaCandidate::better));
        }
        double[] losses = {Double.NaN};
        if (k > 1) {
          Fcls[] sets = search.distinctSets();
          describe(sc, outer, "FCLS residuals of the restarts");
          losses = search.restartLosses(OrderedMerge.reduce(blocks.mapPartitions((Iterator<VcaPixelBlock> it) -> {
            FclsResiduals acc = new FclsResiduals(sets);
            while (it.hasNext()) {
              it.next().addResiduals(acc);
            }
            return Collections.singletonList(acc).iterator();
          }), FclsResiduals::merge).means());
        }
        int kept = VcaRestarts.kept(losses);
        return new VcaFclsModel(uid(), new Endmembers(search.endmembers(kept), null, axis), projection.snrDb(),
            losses, kept);
      } finally {
        projected.unpersist(false);
        blocks.unpersist(false);
        sc.setLocalProperty(DESCRIPTION, outer);
      }
    }
  }

  private static final String DESCRIPTION = "spark.job.description";

  /** Names the next jobs as the caller's description plus {@code what}, for {@code --timings} and the progress line. */
  private static void describe(SparkContext sc, String outer, String what) {
    sc.setJobDescription(outer == null ? "vca-fcls: " + what : outer + ": " + what);
  }

  public static MLReader<VcaFcls> read() {
    return MlPersistence.paramsOnlyReader(VcaFcls.class);
  }

  public static VcaFcls load(String path) {
    return read().load(path);
  }
}
