package org.eelsunmix.spark.ml;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;
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
import org.eelsunmix.autoencoder.Daeu;
import org.eelsunmix.autoencoder.DaeuFit;
import org.eelsunmix.autoencoder.DaeuOptions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The two ways the DAEU network is trained on a sample drawn by {@link TrainingSample}:
 *
 * <ul>
 *   <li>{@link #restarts}: K in-memory trainings ({@link Daeu#fit}, seeds {@code seed + k}) as K parallel Spark
 *       tasks on the same broadcast sample; the one with the lowest final loss (mean SAD of its last epoch, no ground
 *       truth needed) is kept and all K losses reported;</li>
 *   <li>{@link #parameterAveraging}: one network trained by dl4j-spark's {@code ParameterAveragingTrainingMaster}
 *       (workers fit their share of mini-batches, parameters and updater state averaged every N mini-batches) over
 *       the distributed sample, which never leaves the executors for training (design §5: direct RDD training, the
 *       training master caches the data itself).</li>
 * </ul>
 */
public final class AutoencoderTraining {
  private AutoencoderTraining() {}

  /** The kept network and every restart's final loss (one entry for parameter averaging). */
  public record Outcome(MultiLayerNetwork network, double[] losses, double[] restartLosses, int kept)
      implements Serializable {}

  /** A trained network as bytes, shipped between tasks and driver. */
  private record Trained(byte[] network, double[] losses) implements Serializable {}

  /** K in-memory trainings in parallel Spark tasks; see the class comment. */
  public static Outcome restarts(JavaSparkContext sc, float[] sample, int channels, DaeuOptions o, int k,
      String source) {
    int n = sample.length / channels;
    Broadcast<float[]> shared = sc.broadcast(sample);
    try {
      List<Integer> runs = IntStream.range(0, k).boxed().collect(Collectors.toList());
      List<Trained> trained = sc.parallelize(runs, k).map(run -> {
        DaeuFit fit = Daeu.fit(shared.value(), n, channels, o.withSeed(o.seed() + run), source);
        return new Trained(toBytes(fit.network()), fit.losses());
      }).collect();
      double[] finals = new double[k];
      int best = 0;
      for (int i = 0; i < k; i++) {
        double[] l = trained.get(i).losses();
        finals[i] = l[l.length - 1];
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
   * One network trained with parameter averaging over {@code sample} (spectra in counts, distributed), each epoch
   * one {@code fit} of the training master; the network is then put on the count scale with the collected
   * {@code counts} of the same sample ({@link Daeu#toCounts}).
   *
   * @param updater the optimiser (RMSprop for DAEU; plain SGD for comparisons with single-machine training)
   * @param workers parallel workers (each trains batches of {@code o.batchSize()})
   * @param averagingFrequency mini-batches each worker fits between two averagings
   */
  public static Outcome parameterAveraging(JavaRDD<float[]> sample, float[] counts, int channels, DaeuOptions o,
      IUpdater updater, int workers, int averagingFrequency) {
    int n = counts.length / channels;
    float max = 0f;
    for (float v : counts) {
      max = Math.max(max, v);
    }
    float scale = max;
    JavaRDD<DataSet> data = sample.map(y -> {
      float[] x = new float[y.length];
      for (int c = 0; c < y.length; c++) {
        x[c] = y[c] / scale;
      }
      org.nd4j.linalg.api.ndarray.INDArray row = Nd4j.create(x, new long[] {1, x.length}, DataType.FLOAT);
      return new DataSet(row, row);
    });
    ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers, 1)
        .batchSizePerWorker(o.batchSize())
        .averagingFrequency(averagingFrequency)
        .workerPrefetchNumBatches(0)
        .saveUpdater(true)
        .rddTrainingApproach(RDDTrainingApproach.Direct)
        .repartionData(Repartition.Always)
        .rngSeed(o.seed())
        .build();
    MultiLayerNetwork net = Daeu.network(channels, o, updater);
    SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(JavaSparkContext.fromSparkContext(sample.context()), net,
        master);
    double[] losses = new double[o.epochs()];
    for (int e = 0; e < o.epochs(); e++) {
      spark.fit(data);
      losses[e] = spark.getScore();
    }
    master.deleteTempFiles(spark.getSparkContext());
    MultiLayerNetwork trained = spark.getNetwork();
    Daeu.toCounts(trained, max, counts, n, channels);
    return new Outcome(trained, losses, new double[] {losses[losses.length - 1]}, 0);
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
