package org.eelsunmix.spark.ml;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.util.ModelSerializer;
import org.eelsunmix.autoencoder.AutoencoderFit;
import org.eelsunmix.autoencoder.AutoencoderOptions;
import org.eelsunmix.autoencoder.TrainedNetwork;
import org.eelsunmix.autoencoder.WindowSample;
import org.eelsunmix.spark.ProgressLine;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The two ways an unmixing autoencoder (DAEU, MTAEU, CNNAEU) is trained on Spark from a {@link WindowSample} drawn
 * from pixel rows:
 *
 * <ul>
 *   <li>{@link #restarts}: K in-memory trainings ({@link AutoencoderFit#fit}, seeds {@code seed + k}) as K parallel
 *       Spark tasks on the same broadcast sample; the one with the lowest reconstruction loss (mean spectral angle
 *       between the sample's spectra and their reconstructions, no ground truth needed) is kept and all K
 *       reported;</li>
 *   <li>{@link #parameterAveraging}: one network trained by local SGD with parameter averaging in one Spark
 *       barrier job ({@link BarrierAveraging}: workers fit their share of mini-batches, parameters and updater
 *       state averaged every N mini-batches through a socket to the driver, {@link AveragingServer}).</li>
 *   <li>{@link #dl4jParameterAveraging}, the former path, kept for the benchmark: dl4j-spark's
 *       {@code ParameterAveragingTrainingMaster}, one Spark job per averaging round. Each epoch the windows are
 *       shuffled on the driver (seeded) and cut into mini-batches; only the batches'
 *       window numbers travel, and the executors build each mini-batch from the broadcast sample in the network's
 *       own layout (MTAEU's task-major rows, CNNAEU's NCHW patches), one {@code DataSet} per mini-batch, so
 *       dl4j-spark never merges or splits them. A last, partial mini-batch is left out of that epoch (the windows
 *       are reshuffled every epoch).</li>
 * </ul>
 */
public final class AutoencoderTraining {
  private AutoencoderTraining() {}

  /** The kept network, its per-epoch losses and every restart's reconstruction loss (one without restarts). */
  public record Outcome(MultiLayerNetwork network, double[] losses, double[] restartLosses, int kept)
      implements Serializable {}

  /** The windows' largest count, checked; fewer windows than one batch is refused naming {@code source}. */
  static float checkedLargest(WindowSample sample, AutoencoderOptions o, String source) {
    if (sample.count() < o.batchSize()) {
      throw new org.eelsunmix.core.BadInputException(source, "has " + sample.count() + " training windows, fewer "
          + "than one batch of " + o.batchSize());
    }
    return sample.largest(source);
  }

  /** A trained network as bytes, shipped between tasks and driver. */
  private record Trained(byte[] network, double[] losses, double reconstructionLoss) implements Serializable {}

  /** K in-memory trainings in parallel Spark tasks; see the class comment. */
  public static Outcome restarts(JavaSparkContext sc, WindowSample sample, AutoencoderOptions o, int k,
      String source) {
    Broadcast<WindowSample> shared = sc.broadcast(sample);
    try {
      List<Integer> runs = IntStream.range(0, k).boxed().collect(Collectors.toList());
      List<Trained> trained = sc.parallelize(runs, k).map(run -> {
        TrainedNetwork fit = AutoencoderFit.fit(o.withSeed(o.seed() + run), shared.value(), source);
        return new Trained(toBytes(fit.network()), fit.losses(), fit.reconstructionLoss());
      }).collect();
      double[] finals = new double[k];
      int best = 0;
      for (int i = 0; i < k; i++) {
        finals[i] = trained.get(i).reconstructionLoss();
        if (finals[i] < finals[best]) {
          best = i;
        }
      }
      return new Outcome(fromBytes(trained.get(best).network()), trained.get(best).losses(), finals, best);
    } finally {
      shared.destroy();
    }
  }

  /**
   * One network trained by parameter averaging in one barrier job ({@link BarrierAveraging}: each worker fits
   * {@code averagingFrequency} mini-batches of its share between two averagings of parameters and updater state),
   * then put on the count scale ({@link AutoencoderFit#toCounts}).
   *
   * @param updater the optimiser (RMSprop for the reference; plain SGD for comparisons with one machine)
   * @param workers parallel workers (barrier tasks; at most the cluster's task slots)
   * @param averagingFrequency mini-batches each worker fits between two averagings
   * @throws org.eelsunmix.core.BadInputException naming {@code source} when the sample holds fewer windows than a
   *     batch, or {@code workers} when the cluster has fewer task slots
   */
  public static Outcome parameterAveraging(JavaSparkContext sc, WindowSample sample, AutoencoderOptions o,
      IUpdater updater, int workers, int averagingFrequency, String source) {
    return BarrierAveraging.train(sc, sample, o, updater, workers, averagingFrequency, source).outcome();
  }

  /**
   * The former path, kept so that {@code bench --averaging} can measure against it: one network trained with
   * dl4j-spark's {@code ParameterAveragingTrainingMaster} over {@code sample}, each epoch one {@code fit} of the
   * training master (a Spark job per averaging round), then put on the count scale.
   *
   * @param updater the optimiser (RMSprop for the reference; plain SGD for comparisons with one machine)
   * @param workers parallel workers (each fits mini-batches of {@code o.batchSize()} windows)
   * @param averagingFrequency mini-batches each worker fits between two averagings
   */
  public static Outcome dl4jParameterAveraging(JavaSparkContext sc, WindowSample sample, AutoencoderOptions o,
      IUpdater updater, int workers, int averagingFrequency, String source) {
    int b = sample.channels();
    int batch = o.batchSize();
    int n = sample.count();
    float max = checkedLargest(sample, o, source);
    float scale = 1f / max;
    long[] shape = o.batchShape(batch, b);
    Broadcast<WindowSample> shared = sc.broadcast(sample);
    // Every DataSet is one whole mini-batch: dl4j-spark counts rows as examples, so tell it how many each holds.
    int rows = (int) shape[0];
    ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers, rows)
        .batchSizePerWorker(rows)
        .averagingFrequency(averagingFrequency)
        .workerPrefetchNumBatches(0)
        .saveUpdater(true)
        .rddTrainingApproach(RDDTrainingApproach.Direct)
        .repartionData(Repartition.Always)
        .rngSeed(AutoencoderFit.nd4jSeed(o.seed()))
        .build();
    MultiLayerNetwork net = o.network(b, updater);
    SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, net, master);
    SplittableRandom random = new SplittableRandom(o.seed());
    int[] order = IntStream.range(0, n).toArray();
    double[] losses = new double[o.epochs()];
    // The epochs run on the driver: name each epoch's jobs, with the whole training's ETA, for the progress line.
    String description = sc.getLocalProperty("spark.job.description");
    String label = description == null ? o.method() + " parameter averaging" : description;
    long began = System.nanoTime();
    try {
      for (int e = 0; e < o.epochs(); e++) {
        String eta = "";
        if (e > 0) {
          long left = (System.nanoTime() - began) / e * (o.epochs() - e);
          eta = ", training ETA " + ProgressLine.clock(java.time.Duration.ofNanos(left));
        }
        sc.setJobDescription(String.format("%s, epoch %d/%d%s", label, e + 1, o.epochs(), eta));
        AutoencoderFit.shuffle(order, random);
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start + batch <= n; start += batch) {
          batches.add(Arrays.copyOfRange(order, start, start + batch));
        }
        JavaRDD<DataSet> data = sc.parallelize(batches, Math.min(batches.size(), workers))
            .map(windows -> {
              float[] x = new float[(int) Arrays.stream(shape).reduce(1, (p, q) -> p * q)];
              o.layout(shared.value(), windows, 0, windows.length, scale, x);
              INDArray features = Nd4j.create(x, shape, DataType.FLOAT);
              return new DataSet(features, features);
            });
        spark.fit(data);
        losses[e] = spark.getScore() / o.pixelsPerScoredRow();
      }
    } finally {
      sc.setJobDescription(description);
      master.deleteTempFiles(spark.getSparkContext());
      shared.destroy();
    }
    MultiLayerNetwork trained = spark.getNetwork();
    double reconstruction = AutoencoderFit.toCounts(o, trained, max, sample);
    return new Outcome(trained, losses, new double[] {reconstruction}, 0);
  }

  /** The network as a DL4J model zip (without updater state), in memory. */
  static byte[] toBytes(MultiLayerNetwork network) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ModelSerializer.writeModel(network, out, false);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads what {@link #toBytes} wrote. */
  static MultiLayerNetwork fromBytes(byte[] zip) {
    try {
      return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
